import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { DomainErrorKind, ValidationIssue } from '@storefront/errors';

/** RFC 9457 problem details, the body of every 4xx/5xx answer. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: ValidationIssue[];
  correlationId?: string;
}

const STATUS_BY_KIND: Record<DomainErrorKind, { status: number; title: string }> = {
  invalid: { status: 400, title: 'Invalid request' },
  'not-found': { status: 404, title: 'Not found' },
  conflict: { status: 409, title: 'Conflict' },
  unauthenticated: { status: 401, title: 'Unauthorized' },
  forbidden: { status: 403, title: 'Forbidden' },
};

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export function problemForKind(kind: DomainErrorKind, detail: string, errors?: ValidationIssue[]): Problem {
  const { status, title } = STATUS_BY_KIND[kind];
  return { type: `urn:storefront:problem:${kind}`, title, status, detail, ...(errors?.length ? { errors } : {}) };
}

export const INTERNAL_PROBLEM: Problem = {
  type: 'urn:storefront:problem:internal',
  title: 'Internal error',
  status: 500,
  detail: 'The request could not be completed. Retry later; quote the correlation id if it keeps failing.',
};

export function problemResponse(problem: Problem, headers: Record<string, string> = {}): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: problem.status,
    headers: { ...headers, 'content-type': PROBLEM_CONTENT_TYPE },
    body: JSON.stringify(problem),
  };
}
