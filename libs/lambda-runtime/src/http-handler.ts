import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { ACCESS_REQUIREMENTS, callerFromClaims, type Caller, parseWith, type RouteAccess, type Schema } from '@storefront/contracts';
import { DomainError, ForbiddenError, UnauthenticatedError, ValidationError } from '@storefront/errors';
import { observeInvocation } from './invocation';
import { logger } from './observability';
import { INTERNAL_PROBLEM, problemForKind, problemResponse } from './problem';
import { DEFAULT_MAX_BODY_BYTES, readJsonBody, refusedBody } from './request-body';
import { tracedBy, type TraceOutcome } from './tracing';

export const CORRELATION_HEADER = 'x-correlation-id';

type RawHeaders = Record<string, string | undefined>;

export interface HttpRequest<Body, Path, Query, Headers = RawHeaders> {
  body: Body;
  path: Path;
  query: Query;
  /** Lower-cased names; validated and typed when the route gives a headers schema. */
  headers: Headers;
  correlationId: string;
  /** Who is calling, from the claims the API's authorizer verified; on a public route, ANONYMOUS. */
  caller: Caller;
}

/** The caller of a public route: no id, no group, no scope, so it owns nothing and may act for no one. */
export const ANONYMOUS: Caller = Object.freeze({ id: '', groups: [], scopes: [] });

export interface HttpResult {
  statusCode: number;
  body?: unknown;
  headers?: Record<string, string>;
}

interface HttpSchemas<Body, Path, Query, Headers> {
  body?: Schema<Body>;
  path?: Schema<Path>;
  query?: Schema<Query>;
  headers?: Schema<Headers>;
  /** The largest body the route accepts, in bytes (default 64 KiB); a larger one is a 413 before it is parsed. */
  maxBodyBytes?: number;
  /** Who may call the route (its contract's access); without it, the route is public. */
  access?: RouteAccess;
}

type HttpEvent = APIGatewayProxyEventV2;
type HttpResponse = APIGatewayProxyStructuredResultV2;

/**
 * Wraps a route: reads the correlation id, refuses a body that is too large
 * (413) or not sent as JSON (415: a route with a body takes only a well-formed
 * JSON content type, see refusedBody), validates body, path, query and headers against
 * contract schemas, checks the caller's group where the route's access asks
 * for one (the API's authorizer has checked token and scope), and turns every
 * error into problem+json. The route function sees only validated, typed input.
 */
export function httpHandler<Body = undefined, Path = undefined, Query = undefined, Headers = RawHeaders>(
  schemas: HttpSchemas<Body, Path, Query, Headers>,
  route: (request: HttpRequest<Body, Path, Query, Headers>) => Promise<HttpResult>,
) {
  return (event: HttpEvent, context: Context): Promise<HttpResponse> => {
    const headers = lowerCaseKeys(event.headers);
    const correlationId = headers[CORRELATION_HEADER] ?? event.requestContext?.requestId ?? randomUUID();
    const responseHeaders = { [CORRELATION_HEADER]: correlationId };
    return observeInvocation(
      event,
      context,
      correlationId,
      async () => {
        try {
          // Who calls comes first, as on AWS, where the authorizer answers before the function runs.
          const caller = callerOf(event, schemas.access ?? 'public');
          const refused = refusedBody(event, headers, {
            maxBytes: schemas.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
            takesBody: schemas.body !== undefined,
          });
          if (refused) {
            logger.info('request refused', { detail: refused.detail });
            return problemResponse({ ...refused, correlationId }, responseHeaders);
          }
          const request: HttpRequest<Body, Path, Query, Headers> = {
            body: validate('body', schemas.body, readJsonBody(event)),
            path: validate('path', schemas.path, event.pathParameters ?? {}),
            query: validate('query', schemas.query, event.queryStringParameters ?? {}),
            headers: schemas.headers ? validate('headers', schemas.headers, headers) : (headers as Headers),
            correlationId,
            caller,
          };
          const result = await route(request);
          return {
            statusCode: result.statusCode,
            headers: {
              ...responseHeaders,
              ...(result.body === undefined ? {} : { 'content-type': 'application/json' }),
              ...result.headers,
            },
            ...(result.body === undefined ? {} : { body: JSON.stringify(result.body) }),
          };
        } catch (error) {
          if (error instanceof DomainError) {
            logger.info('request refused', { error: error.name, detail: error.message });
            const issues = error instanceof ValidationError ? error.issues : undefined;
            return problemResponse({ ...problemForKind(error.kind, error.message, issues), correlationId }, responseHeaders);
          }
          logger.error('request failed', error as Error);
          return problemResponse({ ...INTERNAL_PROBLEM, correlationId }, responseHeaders);
        }
      },
      tracedBy(byStatus),
    );
  };
}

/** Traced by its answer: X-Ray marks a 5xx a fault, a 4xx an error. */
const byStatus = (response: HttpResponse): TraceOutcome => ({ statusCode: response.statusCode ?? 200 });

/** The verified caller, after the group check the route's access asks for. */
function callerOf(event: HttpEvent, access: RouteAccess): Caller {
  if (access === 'public') return ANONYMOUS;
  const jwt = (event.requestContext as { authorizer?: { jwt?: { claims?: Record<string, unknown>; scopes?: unknown } } } | undefined)
    ?.authorizer?.jwt;
  const caller = callerFromClaims(jwt?.claims, jwt?.scopes);
  if (!caller) throw new UnauthenticatedError('The request carries no verified identity: send a bearer token');
  const groups = ACCESS_REQUIREMENTS[access].groups;
  if (groups && !groups.some((group) => caller.groups.includes(group))) throw new ForbiddenError(`Only ${groups.join(' or ')} may do this`);
  return caller;
}

function validate<T>(part: string, schema: Schema<T> | undefined, input: unknown): T {
  if (!schema) return undefined as T;
  const result = parseWith(schema, input);
  if (result.success) return result.data;
  const issues = result.issues.map((issue) => ({ ...issue, path: issue.path === '(root)' ? part : `${part}.${issue.path}` }));
  throw new ValidationError(`The request ${part} is not valid: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`, issues);
}

function lowerCaseKeys(headers: HttpEvent['headers'] | undefined): RawHeaders {
  const result: RawHeaders = {};
  for (const [name, value] of Object.entries(headers ?? {})) result[name.toLowerCase()] = value;
  return result;
}
