import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { type FunctionConcurrency, ThrottledError } from './concurrency.ts';
import {
  hasMalformedPercentEncoding,
  INTERNAL_DETAIL,
  type Problem,
  problem,
  problemHeaders,
  rawProblemResponse,
  upstreamProblem,
} from './gateway-problems.ts';
import type { Trail } from './trail.ts';
import type { Log } from './types.ts';
import { callUpstream, discardBody, endToEndHeaders, readBody, UpstreamError, type UpstreamReply } from './upstream.ts';

/** Where a route's requests go: the owning service's serverless-offline and the function behind the route. */
export interface RouteTarget {
  service: string;
  port: number;
  functionName: string;
  timeoutMs: number;
}

export interface Route<T = RouteTarget> {
  method: string;
  path: string;
  regex: RegExp;
  score: number;
  target: T;
}

/** `GET /orders/{orderId}` → a matcher; literal segments win over parameters, as in API Gateway. */
export function compileRoute<T = RouteTarget>(routeKey: string, target: T): Route<T> {
  const [method = '', path = ''] = routeKey === '$default' ? ['ANY', '/{proxy+}'] : routeKey.split(' ');
  const segments = path.split('/').filter(Boolean);
  const pattern = segments
    .map((segment) =>
      /^\{[^}]+\+\}$/.test(segment)
        ? '(?:/.+)?'
        : /^\{[^}]+\}$/.test(segment)
          ? '/[^/]+'
          : `/${segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`,
    )
    .join('');
  const literal = segments.filter((s) => !s.startsWith('{')).length;
  const greedy = segments.some((s) => s.endsWith('+}'));
  return { method, path, regex: new RegExp(`^${pattern || ''}/?$`), score: literal * 10 + segments.length - (greedy ? 100 : 0), target };
}

export function findRoute<T>(routes: Route<T>[], method: string, path: string): { route: Route<T> | undefined; allowed: string[] } {
  const matching = routes.filter((route) => route.regex.test(path)).sort((a, b) => b.score - a.score);
  const route = matching.find((r) => r.method === method || r.method === 'ANY');
  return { route, allowed: [...new Set(matching.map((r) => r.method))] };
}

/** The largest request body the HTTP API accepts; a larger one is a 413 from API Gateway itself. */
export const HTTP_API_MAX_BODY_BYTES = 10 * 1024 * 1024;

function answerProblem(response: ServerResponse, answer: Problem, headers: Record<string, string> = {}): void {
  const body = JSON.stringify(answer);
  response.writeHead(answer.status, problemHeaders(body, answer.correlationId, headers));
  response.end(body);
}

/** Lets the client finish sending, then answers the problem, so its keep-alive connection stays usable. */
async function refuse(
  request: IncomingMessage,
  response: ServerResponse,
  answer: Problem,
  headers?: Record<string, string>,
): Promise<void> {
  await discardBody(request);
  answerProblem(response, answer, headers);
}

function serveTrail(response: ServerResponse, trail: Trail, url: URL): void {
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(
    JSON.stringify(
      trail.list({
        correlationId: url.searchParams.get('correlationId') ?? undefined,
        since: url.searchParams.get('since') ?? undefined,
      }),
    ),
  );
}

/**
 * One base URL for every service, as the shared HTTP API is on AWS: each
 * request goes to the serverless-offline of the service that owns its route,
 * through its function's concurrency limit. Every request gets an
 * x-correlation-id if it came without one, and every error is problem+json.
 */
export interface GatewayOptions {
  port: number;
  routes: Route[];
  log: Log;
  trail?: Trail | undefined;
  concurrency: FunctionConcurrency;
  maxBodyBytes?: number;
}

export interface RunningGateway {
  url: string;
  close: () => Promise<void>;
}

type Outcome = { refused: Problem; reply?: undefined } | { reply: UpstreamReply; refused?: undefined };

export function startGateway({
  port,
  routes,
  log,
  trail,
  concurrency,
  maxBodyBytes = HTTP_API_MAX_BODY_BYTES,
}: GatewayOptions): Promise<RunningGateway> {
  async function forward(request: IncomingMessage, url: URL, route: Route, correlationId: string): Promise<Outcome> {
    const { service, port: servicePort, functionName, timeoutMs } = route.target;
    const read = await readBody(request, maxBodyBytes);
    if (read.tooLarge) return { refused: problem(413, `The request body is over the API's limit of ${maxBodyBytes} bytes`, correlationId) };
    try {
      const reply = await callUpstream({
        port: servicePort,
        method: request.method as string,
        path: `${url.pathname}${url.search}`,
        headers: { ...request.headers, 'x-correlation-id': correlationId },
        body: read.body,
        timeoutMs,
      });
      const failed = upstreamProblem(reply, { functionName, correlationId });
      if (failed) log(`gateway: ${functionName} answered ${request.method} ${url.pathname} with ${failed.problem.status}: ${failed.cause}`);
      return failed ? { refused: failed.problem } : { reply };
    } catch (error) {
      if (!(error instanceof UpstreamError)) throw error;
      log(`gateway: ${service} did not answer ${request.method} ${url.pathname}: ${error.message}`);
      return {
        refused: error.timedOut
          ? problem(504, `The ${functionName} function did not answer within ${timeoutMs} ms`, correlationId)
          : problem(502, `The ${service} service did not answer`, correlationId),
      };
    }
  }

  async function handle(request: IncomingMessage, response: ServerResponse, correlationId: string): Promise<void> {
    if (hasMalformedPercentEncoding(request.url))
      return refuse(request, response, problem(400, 'The URL holds a malformed percent-encoding', correlationId));
    const url = new URL(request.url as string, 'http://gateway');
    if (url.pathname === '/_local/trail' && trail) return serveTrail(response, trail, url);
    const { route, allowed } = findRoute(routes, request.method as string, url.pathname);
    if (!route && allowed.length)
      return refuse(request, response, problem(405, `${url.pathname} accepts ${allowed.join(', ')}`, correlationId), {
        allow: allowed.join(', '),
      });
    if (!route)
      return refuse(request, response, problem(404, `No service has a route for ${request.method} ${url.pathname}`, correlationId));
    if (Number(request.headers['content-length'] ?? 0) > maxBodyBytes)
      return refuse(request, response, problem(413, `The request body is over the API's limit of ${maxBodyBytes} bytes`, correlationId));
    let outcome: Outcome;
    try {
      outcome = await concurrency.run(route.target.functionName, () => forward(request, url, route, correlationId));
    } catch (error) {
      if (!(error instanceof ThrottledError)) throw error;
      log(`gateway: ${error.message}; answering 429`);
      return refuse(request, response, problem(429, 'Too many requests are waiting for this function; retry shortly', correlationId), {
        'retry-after': '1',
      });
    }
    if (outcome.refused) return answerProblem(response, outcome.refused);
    const { reply } = outcome;
    response.writeHead(reply.status, { ...endToEndHeaders(reply.headers), 'content-length': String(reply.body.length) });
    response.end(reply.body);
  }

  const server = createServer((request, response) => {
    const correlationId = (request.headers['x-correlation-id'] as string | undefined) ?? randomUUID();
    handle(request, response, correlationId).catch((error: Error) => {
      log(`gateway: ${request.method} ${request.url} failed: ${error.message}`);
      if (response.headersSent || request.destroyed) response.destroy();
      else answerProblem(response, problem(500, INTERNAL_DETAIL, correlationId), { connection: 'close' });
    });
  });
  // A request Node cannot even parse (a malformed request line or header, headers too large) still gets problem+json.
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    if (error.code === 'ECONNRESET' || !socket.writable) return socket.destroy();
    const status = ({ HPE_HEADER_OVERFLOW: 431, ERR_HTTP_REQUEST_TIMEOUT: 408 } as Record<string, number>)[error.code ?? ''] ?? 400;
    socket.end(rawProblemResponse(status, 'The request could not be read as HTTP/1.1', randomUUID()));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () =>
      resolve({ url: `http://localhost:${port}`, close: () => new Promise<void>((r) => server.close(() => r())) }),
    );
  });
}
