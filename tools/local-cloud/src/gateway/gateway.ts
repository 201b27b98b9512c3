import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { type FunctionConcurrency, ThrottledError } from '../stack/concurrency.ts';
import type { CorsPolicy } from './cors.ts';
import { serveLocalRoute } from './local-routes.ts';
import {
  answerProblem,
  hasMalformedPercentEncoding,
  INTERNAL_DETAIL,
  type Problem,
  problem,
  rawProblemResponse,
  upstreamProblem,
} from './problems.ts';
import type { IdentityProvider } from '../emulators/identity/identity-provider.ts';
import { authorize, authorizerContext, type RouteAuthorization, type Verdict, wwwAuthenticate } from './jwt-authorizer.ts';
import type { RouteThrottle } from './throttling.ts';
import type { Trail } from '../stack/trail.ts';
import type { Log } from '../common/types.ts';
import { callUpstream, discardBody, endToEndHeaders, readBody, UpstreamError, type UpstreamReply } from '../common/upstream.ts';
import { headersForOffline, requestAsSent } from './request-as-sent.ts';

/** Where a route's requests go: the owning service's serverless-offline and the function behind the route. */
export interface RouteTarget {
  service: string;
  port: number;
  functionName: string;
  timeoutMs: number;
  /** Who may call it: the JWT authorizer and scopes the route names; none for a public route. */
  authorization?: RouteAuthorization | undefined;
}

export { AUTHORIZER_OVERRIDE_HEADER, REQUEST_AS_SENT_HEADER } from './request-as-sent.ts';

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

/**
 * One base URL for every service, as the shared HTTP API is on AWS: each
 * request goes to the serverless-offline of the service that owns its route,
 * through its function's concurrency limit, its function seeing the headers
 * exactly as the client sent them (request-as-sent.ts) and a request id of the
 * gateway's, which is also the correlation id of a request that came without
 * one. Every error is problem+json.
 * As API Gateway, it answers CORS preflights, throttles each route and checks
 * the JWT of every route that names an authorizer before a function runs.
 */
export interface GatewayOptions {
  port: number;
  routes: Route[];
  log: Log;
  trail?: Trail | undefined;
  concurrency: FunctionConcurrency;
  maxBodyBytes?: number;
  /** Whose keys sign the tokens the routes' authorizers accept; it also serves them and mints tokens under /_local/. */
  identity?: IdentityProvider | undefined;
  throttle?: RouteThrottle | undefined;
  cors?: CorsPolicy | undefined;
  /** Told of each request handed to a function, once it passed the gateway's checks (a usage meter counts them). */
  onForward?: ((functionName: string) => void) | undefined;
}

/** A function's CORS headers never reach the client when the API has a CORS configuration: API Gateway puts its own. */
const withoutCorsHeaders = <V>(headers: Record<string, V>) =>
  Object.fromEntries(Object.entries(headers).filter(([name]) => !name.toLowerCase().startsWith('access-control-')));

export interface RunningGateway {
  url: string;
  close: () => Promise<void>;
}

/** The id the gateway gives a request (API Gateway's request id), and the correlation id its answers carry. */
interface RequestIds {
  requestId: string;
  correlationId: string;
}

type Outcome = { refused: Problem; reply?: undefined } | { reply: UpstreamReply; refused?: undefined };

export function startGateway({
  port,
  routes,
  log,
  trail,
  concurrency,
  maxBodyBytes = HTTP_API_MAX_BODY_BYTES,
  identity,
  throttle,
  cors,
  onForward,
}: GatewayOptions): Promise<RunningGateway> {
  if (routes.some((route) => route.target.authorization) && !identity)
    throw new Error('routes name a JWT authorizer, but the gateway was given no identity provider to verify tokens with');

  async function forward(request: IncomingMessage, url: URL, route: Route, ids: RequestIds, authorizer: object): Promise<Outcome> {
    const { correlationId } = ids;
    const { service, port: servicePort, functionName, timeoutMs } = route.target;
    const read = await readBody(request, maxBodyBytes);
    if (read.tooLarge) return { refused: problem(413, `The request body is over the API's limit of ${maxBodyBytes} bytes`, correlationId) };
    onForward?.(functionName);
    try {
      const reply = await callUpstream({
        port: servicePort,
        method: request.method as string,
        path: `${url.pathname}${url.search}`,
        headers: headersForOffline(requestAsSent(request.rawHeaders, ids.requestId), authorizer),
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

  /** The token check of a route that names an authorizer: its verdict, or undefined on a public route. */
  async function verdictFor(request: IncomingMessage, route: Route): Promise<Verdict | undefined> {
    const { authorization } = route.target;
    if (!authorization || !identity) return undefined;
    return authorize(request.headers[authorization.authorizer.header], authorization, identity.keys);
  }

  async function handle(request: IncomingMessage, response: ServerResponse, ids: RequestIds): Promise<void> {
    const { correlationId } = ids;
    if (cors?.isPreflight(request.method, request.headers)) {
      await discardBody(request);
      response.writeHead(204, { ...cors.preflightHeaders(request.headers), 'x-correlation-id': correlationId });
      return void response.end();
    }
    for (const [name, value] of Object.entries(cors?.responseHeaders(request.headers) ?? {})) response.setHeader(name, value);
    if (hasMalformedPercentEncoding(request.url))
      return refuse(request, response, problem(400, 'The URL holds a malformed percent-encoding', correlationId));
    const url = new URL(request.url as string, 'http://gateway');
    if (url.pathname.startsWith('/_local/') && (await serveLocalRoute(request, response, url, { trail, identity }, correlationId))) return;
    const { route, allowed } = findRoute(routes, request.method as string, url.pathname);
    if (!route && allowed.length)
      return refuse(request, response, problem(405, `${url.pathname} accepts ${allowed.join(', ')}`, correlationId), {
        allow: allowed.join(', '),
      });
    if (!route)
      return refuse(request, response, problem(404, `No service has a route for ${request.method} ${url.pathname}`, correlationId));
    if (Number(request.headers['content-length'] ?? 0) > maxBodyBytes)
      return refuse(request, response, problem(413, `The request body is over the API's limit of ${maxBodyBytes} bytes`, correlationId));
    const routeKey = `${route.method} ${route.path}`;
    const admission = throttle?.admit(routeKey);
    if (admission && !admission.admitted) {
      const { rate, burst } = admission.limits;
      const detail = `${routeKey} takes ${rate} requests a second with bursts of ${burst} (the stage's throttling); retry shortly`;
      return refuse(request, response, problem(429, detail, correlationId), { 'retry-after': String(admission.retryAfterSeconds) });
    }
    const verdict = await verdictFor(request, route);
    if (verdict && !verdict.allowed) {
      const detail = `${verdict.status === 401 ? 'Unauthorized' : 'Forbidden'}: ${verdict.description}`;
      return refuse(request, response, problem(verdict.status, detail, correlationId), { 'www-authenticate': wwwAuthenticate(verdict) });
    }
    const authorizer = authorizerContext(verdict);
    let outcome: Outcome;
    try {
      outcome = await concurrency.run(route.target.functionName, () => forward(request, url, route, ids, authorizer));
    } catch (error) {
      if (!(error instanceof ThrottledError)) throw error;
      log(`gateway: ${error.message}; answering 429`);
      return refuse(request, response, problem(429, 'Too many requests are waiting for this function; retry shortly', correlationId), {
        'retry-after': '1',
      });
    }
    if (outcome.refused) return answerProblem(response, outcome.refused);
    const { reply } = outcome;
    const headers = endToEndHeaders(reply.headers);
    response.writeHead(reply.status, { ...(cors ? withoutCorsHeaders(headers) : headers), 'content-length': String(reply.body.length) });
    response.end(reply.body);
  }

  const server = createServer((request, response) => {
    const requestId = randomUUID();
    // The function falls back on the request id too when the client sent no correlation id, so both answer the same.
    const correlationId = (request.headers['x-correlation-id'] as string | undefined) ?? requestId;
    handle(request, response, { requestId, correlationId }).catch((error: Error) => {
      log(`gateway: ${request.method} ${request.url} failed: ${error.message}`);
      if (response.headersSent || request.destroyed) response.destroy();
      else answerProblem(response, problem(500, INTERNAL_DETAIL, correlationId), { connection: 'close' });
    });
  });
  // Idle connections stay open 30 s, not Node's 5: a client reusing one after a few idle seconds on a busy machine met
  // the gateway closing it at that moment ("other side closed").
  server.keepAliveTimeout = 30_000;
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
