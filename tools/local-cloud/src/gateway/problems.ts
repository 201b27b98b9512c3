/**
 * Every error the local gateway answers is problem+json, shaped like the
 * services' own (libs/lambda-runtime/src/problem.ts): the errors the gateway
 * finds itself, and the ones serverless-offline would answer in its own
 * shapes (a Boom body, or a failed or timed-out function reported as a 200).
 */
import type { ServerResponse } from 'node:http';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const KINDS: Record<number, [string, string]> = {
  400: ['bad-request', 'Bad request'],
  401: ['unauthorized', 'Unauthorized'],
  403: ['forbidden', 'Forbidden'],
  404: ['not-found', 'Not found'],
  405: ['method-not-allowed', 'Method not allowed'],
  408: ['request-timeout', 'Request timeout'],
  413: ['payload-too-large', 'Payload too large'],
  429: ['throttled', 'Too many requests'],
  431: ['headers-too-large', 'Request headers too large'],
  500: ['internal', 'Internal error'],
  502: ['bad-gateway', 'Bad gateway'],
  503: ['unavailable', 'Service unavailable'],
  504: ['gateway-timeout', 'Gateway timeout'],
};

/** The same words a service's own 500 uses: a client never learns internals. */
export const INTERNAL_DETAIL = 'The request could not be completed. Retry later; quote the correlation id if it keeps failing.';

/** An RFC 9457 problem as the services answer it. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  correlationId: string;
}

export function problem(status: number, detail: string, correlationId: string): Problem {
  const [kind, title] = KINDS[status] ?? [`http-${status}`, `HTTP ${status}`];
  return { type: `urn:storefront:problem:${kind}`, title, status, detail, correlationId };
}

export function problemHeaders(body: string, correlationId: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    ...extra,
    'content-type': PROBLEM_CONTENT_TYPE,
    'content-length': String(Buffer.byteLength(body)),
    'x-correlation-id': correlationId,
  };
}

/** Answers a problem; `headers` go with it (`allow`, `retry-after`, `www-authenticate`). */
export function answerProblem(response: ServerResponse, answer: Problem, headers: Record<string, string> = {}): void {
  const body = JSON.stringify(answer);
  response.writeHead(answer.status, problemHeaders(body, answer.correlationId, headers));
  response.end(body);
}

/** A whole HTTP/1.1 response for a socket whose request could not even be parsed; the connection closes after it. */
export function rawProblemResponse(status: number, detail: string, correlationId: string): string {
  const answer = problem(status, detail, correlationId);
  const body = JSON.stringify(answer);
  const headers = Object.entries({ ...problemHeaders(body, correlationId), connection: 'close' })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  return `HTTP/1.1 ${status} ${answer.title}\r\n${headers}\r\n${body}`;
}

/** True when any part of the URL holds a `%` that is not followed by two hex digits of valid UTF-8. */
export function hasMalformedPercentEncoding(rawUrl: unknown): boolean {
  try {
    for (const part of String(rawUrl).split(/[/?&=#]/)) decodeURIComponent(part);
    return false;
  } catch {
    return true;
  }
}

function parseJson(body: unknown): unknown {
  try {
    return JSON.parse(String(body));
  } catch {
    return undefined;
  }
}

/** The body serverless-offline answers when a function threw, timed out or returned an unusable response. */
function offlineFunctionError(json: unknown): { errorMessage: string; errorType: string } | undefined {
  const error = json as { errorMessage?: unknown; errorType?: unknown } | null | undefined;
  return error && typeof error === 'object' && typeof error.errorMessage === 'string' && typeof error.errorType === 'string'
    ? (error as { errorMessage: string; errorType: string })
    : undefined;
}

/**
 * What an answer from serverless-offline means for the client, as the HTTP API
 * would put it: undefined when it is the function's own answer (pass it on),
 * otherwise the problem to answer instead and, for the log, what happened.
 *   function timed out                      → 504 (offline: 200 with "[504] - Lambda timeout.")
 *   function threw, or answered no response  → 500 (offline: 200, or 502, with errorMessage/errorType)
 *   offline refused the request itself      → its status (offline: a Boom body such as {"statusCode":400,...})
 */
export function upstreamProblem(
  { status, headers, body }: { status: number; headers: Record<string, unknown>; body: unknown },
  { functionName, correlationId }: { functionName: string; correlationId: string },
): { problem: Problem; cause: string } | undefined {
  const contentType = String(headers['content-type'] ?? '').toLowerCase();
  if (contentType.startsWith(PROBLEM_CONTENT_TYPE)) return undefined;
  const json = contentType.includes('json') ? parseJson(body) : undefined;
  const failed = offlineFunctionError(json);
  if (failed && (status === 200 || status >= 500)) {
    const timedOut = failed.errorType === 'LambdaTimeoutError' || failed.errorMessage.startsWith('[504]');
    return timedOut
      ? {
          problem: problem(504, `The ${functionName} function did not finish within its timeout`, correlationId),
          cause: failed.errorMessage,
        }
      : { problem: problem(500, INTERNAL_DETAIL, correlationId), cause: `${failed.errorType}: ${failed.errorMessage}` };
  }
  if (status < 400) return undefined;
  const message = (json as { message?: unknown } | null | undefined)?.message;
  const detail = typeof message === 'string' ? message : `The ${functionName} function's service answered ${status}`;
  return { problem: problem(status, status >= 500 ? INTERNAL_DETAIL : detail, correlationId), cause: String(body).slice(0, 300) };
}
