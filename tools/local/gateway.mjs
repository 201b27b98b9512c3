import { randomUUID } from 'node:crypto';
import { createServer, request as httpRequest } from 'node:http';

/** `GET /orders/{orderId}` → a matcher; literal segments win over parameters, as in API Gateway. */
export function compileRoute(routeKey, target) {
  const [method, path] = routeKey === '$default' ? ['ANY', '/{proxy+}'] : routeKey.split(' ');
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

export function findRoute(routes, method, path) {
  const matching = routes.filter((route) => route.regex.test(path)).sort((a, b) => b.score - a.score);
  const route = matching.find((r) => r.method === method || r.method === 'ANY');
  return { route, allowed: [...new Set(matching.map((r) => r.method))] };
}

function problem(response, status, title, detail, correlationId) {
  response.writeHead(status, { 'content-type': 'application/problem+json', 'x-correlation-id': correlationId });
  response.end(JSON.stringify({ type: `urn:storefront:problem:gateway`, title, status, detail, correlationId }));
}

/**
 * One base URL for every service, as the shared HTTP API is on AWS: each
 * request goes to the serverless-offline of the service that owns its route.
 * Every request gets an x-correlation-id if it came without one.
 */
export function startGateway({ port, routes, log, trail }) {
  const server = createServer((request, response) => {
    const url = new URL(request.url, 'http://gateway');
    const correlationId = request.headers['x-correlation-id'] ?? randomUUID();
    if (url.pathname === '/_local/trail' && trail) {
      response.writeHead(200, { 'content-type': 'application/json' });
      return response.end(
        JSON.stringify(
          trail.list({
            correlationId: url.searchParams.get('correlationId') ?? undefined,
            since: url.searchParams.get('since') ?? undefined,
          }),
        ),
      );
    }
    const { route, allowed } = findRoute(routes, request.method, url.pathname);
    if (!route) {
      if (allowed.length)
        return problem(response, 405, 'Method not allowed', `${url.pathname} accepts ${allowed.join(', ')}`, correlationId);
      return problem(response, 404, 'Not found', `No service has a route for ${request.method} ${url.pathname}`, correlationId);
    }
    const upstream = httpRequest(
      {
        host: '127.0.0.1',
        port: route.target.port,
        method: request.method,
        path: `${url.pathname}${url.search}`,
        headers: { ...request.headers, 'x-correlation-id': correlationId },
      },
      (reply) => {
        response.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(response);
      },
    );
    upstream.on('error', (error) => {
      log(`gateway: ${route.target.service} did not answer ${request.method} ${url.pathname}: ${error.message}`);
      if (!response.headersSent) problem(response, 502, 'Bad gateway', `The ${route.target.service} service did not answer`, correlationId);
      else response.destroy();
    });
    request.pipe(upstream);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve({ url: `http://localhost:${port}`, close: () => new Promise((r) => server.close(r)) }));
  });
}
