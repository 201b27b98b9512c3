import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { freePort } from '@storefront/testing';
import { FunctionConcurrency } from '../../src/stack/concurrency.ts';
import { CorsPolicy } from '../../src/gateway/cors.ts';
import { AUTHORIZER_OVERRIDE_HEADER, compileRoute, startGateway } from '../../src/gateway/gateway.ts';
import { JWKS_PATH, TOKENS_PATH } from '../../src/gateway/local-routes.ts';
import { createIdentityProvider, LOCAL_SCOPES } from '../../src/emulators/identity/identity-provider.ts';
import { RouteThrottle } from '../../src/gateway/throttling.ts';

const BROWSER = 'http://localhost:3000';
const authorizer = {
  id: 'platform-authorizer',
  issuer: 'https://issuer.local/pool',
  audience: ['browser-client'],
  header: 'authorization',
};
let upstream: Server;
let gateway: { url: string; close(): Promise<void> };
/** What the stand-in for serverless-offline received, per request. */
const received: { path: string; authorizer: unknown }[] = [];

/** Stands in for a service's serverless-offline: answers what it was handed as the function's authorizer context. */
function fakeOffline(req: IncomingMessage, res: ServerResponse) {
  req.resume();
  const override = req.headers[AUTHORIZER_OVERRIDE_HEADER];
  const authorizerContext = typeof override === 'string' ? JSON.parse(override) : undefined;
  received.push({ path: req.url as string, authorizer: authorizerContext });
  // A function's own CORS header, which API Gateway ignores once the API has a CORS configuration.
  res.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*' });
  res.end(JSON.stringify({ authorizer: authorizerContext }));
}

beforeAll(async () => {
  upstream = createServer(fakeOffline);
  upstream.listen(0, '127.0.0.1');
  await once(upstream, 'listening');
  const port = (upstream.address() as AddressInfo).port;
  const target = (functionName: string, scopes?: string[]) => ({
    service: 'orders',
    port,
    functionName,
    timeoutMs: 5000,
    ...(scopes ? { authorization: { authorizer, scopes } } : {}),
  });
  const gatewayPort = await freePort();
  gateway = await startGateway({
    port: gatewayPort,
    routes: [
      compileRoute('GET /products', target('listProducts')),
      compileRoute('PUT /products/{sku}', target('putProduct', [LOCAL_SCOPES.admin])),
      compileRoute('GET /orders/{orderId}', target('getOrder', [LOCAL_SCOPES.shop])),
      compileRoute('POST /orders', target('placeOrder', [LOCAL_SCOPES.shop])),
    ],
    log: () => undefined,
    concurrency: new FunctionConcurrency({ maxInFlight: 4, maxQueued: 100 }),
    identity: await createIdentityProvider({ issuer: authorizer.issuer, clientId: 'browser-client' }),
    // Small limits: two orders at once, then one every ten seconds; every other route far more.
    throttle: new RouteThrottle({
      DefaultRouteSettings: { ThrottlingRateLimit: 1000, ThrottlingBurstLimit: 1000 },
      RouteSettings: { 'POST /orders': { ThrottlingRateLimit: 0.1, ThrottlingBurstLimit: 2 } },
    }),
    cors: new CorsPolicy({
      AllowOrigins: [BROWSER],
      AllowMethods: ['GET', 'POST', 'PUT'],
      AllowHeaders: ['authorization', 'content-type'],
      ExposeHeaders: ['x-correlation-id'],
      MaxAge: 600,
    }),
  });
});

afterAll(async () => {
  await gateway?.close();
  upstream?.closeAllConnections();
  upstream?.close();
});

beforeEach(() => {
  received.length = 0;
});

async function call(method: string, path: string, headers: Record<string, string> = {}, body?: unknown) {
  const response = await fetch(`${gateway.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

async function tokenFor(request: Record<string, unknown>): Promise<string> {
  const minted = await call('POST', TOKENS_PATH, {}, request);
  expect(minted.status).toBe(200);
  return minted.body.access_token;
}
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('the local gateway in front of JWT-authorized routes', () => {
  it('answers a request without a token 401 problem+json with www-authenticate, and never reaches the function', async () => {
    const answer = await call('GET', '/orders/o-1');

    expect(answer.status).toBe(401);
    expect(answer.headers.get('content-type')).toBe('application/problem+json');
    expect(answer.body).toMatchObject({ status: 401, title: 'Unauthorized', detail: 'Unauthorized: the request has no token' });
    expect(answer.headers.get('www-authenticate')).toBe(
      'Bearer scope="" error="invalid_token" error_description="the request has no token"',
    );
    expect(received).toEqual([]);
  });

  it('answers an expired token and one for another client 401', async () => {
    const expired = await call('GET', '/orders/o-1', bearer(await tokenFor({ customer: 'c-1', expiresInSeconds: -5 })));
    const foreign = await call('GET', '/orders/o-1', bearer(await tokenFor({ customer: 'c-1', clientId: 'other-app' })));

    expect([expired.status, expired.headers.get('www-authenticate')]).toEqual([
      401,
      'Bearer scope="" error="invalid_token" error_description="the token has expired"',
    ]);
    expect([foreign.status, foreign.body.detail]).toEqual([401, 'Unauthorized: the token does not have a valid audience']);
    expect(received).toEqual([]);
  });

  it("answers a customer's token on an admin route 403 with insufficient_scope", async () => {
    const answer = await call('PUT', '/products/SKU-1', bearer(await tokenFor({ customer: 'c-1' })), { name: 'x' });

    expect(answer.status).toBe(403);
    expect(answer.body).toMatchObject({ status: 403, title: 'Forbidden' });
    expect(answer.headers.get('www-authenticate')).toBe(
      'Bearer scope="storefront/admin" error="insufficient_scope" error_description="expected scopes: [storefront/admin]"',
    );
    expect(received).toEqual([]);
  });

  it("hands the function the verified claims as AWS does, never the client's own authorizer header", async () => {
    const forged = JSON.stringify({ jwt: { claims: { sub: 'someone-else', 'cognito:groups': '[admins]' } } });

    const answer = await call('GET', '/orders/o-1', {
      ...bearer(await tokenFor({ customer: 'c-1' })),
      [AUTHORIZER_OVERRIDE_HEADER]: forged,
    });

    expect(answer.status).toBe(200);
    expect(received).toEqual([
      {
        path: '/orders/o-1',
        authorizer: {
          jwt: {
            claims: expect.objectContaining({
              sub: 'c-1',
              'cognito:groups': '[customers]',
              scope: LOCAL_SCOPES.shop,
              token_use: 'access',
              client_id: 'browser-client',
              exp: expect.stringMatching(/^\d+$/),
            }),
            scopes: [LOCAL_SCOPES.shop],
          },
        },
      },
    ]);
  });

  it('hands a public route no claims, whatever the client sends', async () => {
    const forged = JSON.stringify({ jwt: { claims: { sub: 'c-1' } } });

    const answer = await call('GET', '/products', { ...bearer(await tokenFor({ admin: true })), [AUTHORIZER_OVERRIDE_HEADER]: forged });

    expect(answer.status).toBe(200);
    expect(received).toEqual([{ path: '/products', authorizer: {} }]);
  });

  it("lets an admin's token through an admin route", async () => {
    const answer = await call('PUT', '/products/SKU-1', bearer(await tokenFor({ admin: true })), { name: 'x' });

    expect(answer.status).toBe(200);
    expect(received[0]?.authorizer).toMatchObject({ jwt: { claims: { 'cognito:groups': '[admins]' } } });
  });
});

describe('stage throttling at the local gateway', () => {
  it("answers 429 problem+json once a route's burst is spent, and leaves the other routes alone", async () => {
    const token = bearer(await tokenFor({ customer: 'c-1' }));

    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await call('POST', '/orders', token, {})).status);
    const throttled = await call('POST', '/orders', token, {});
    const other = await call('GET', '/orders/o-1', token);

    expect(statuses).toEqual([200, 200, 429, 429]);
    expect(throttled.body).toMatchObject({ status: 429, title: 'Too many requests' });
    expect(throttled.body.detail).toContain("POST /orders takes 0.1 requests a second with bursts of 2 (the stage's throttling)");
    expect(throttled.headers.get('retry-after')).toBe('10');
    expect(other.status).toBe(200);
  });
});

describe('CORS at the local gateway', () => {
  it('answers a preflight itself with the configured headers, without a token or a function', async () => {
    const answer = await call('OPTIONS', '/orders/o-1', {
      origin: BROWSER,
      'access-control-request-method': 'GET',
      'access-control-request-headers': 'authorization',
    });

    expect(answer.status).toBe(204);
    expect(Object.fromEntries([...answer.headers].filter(([name]) => name.startsWith('access-control-')))).toEqual({
      'access-control-allow-origin': BROWSER,
      'access-control-allow-methods': 'GET,POST,PUT',
      'access-control-allow-headers': 'authorization,content-type',
      'access-control-max-age': '600',
    });
    expect(received).toEqual([]);
  });

  it("puts its own CORS headers on answers to an allowed origin, the function's dropped, refusals included", async () => {
    const served = await call('GET', '/products', { origin: BROWSER });
    const refused = await call('GET', '/orders/o-1', { origin: BROWSER });

    for (const answer of [served, refused]) {
      expect(answer.headers.get('access-control-allow-origin')).toBe(BROWSER);
      expect(answer.headers.get('access-control-expose-headers')).toBe('x-correlation-id');
    }
    expect(refused.status).toBe(401);
  });

  it('adds no CORS header for another origin', async () => {
    const answer = await call('GET', '/products', { origin: 'https://elsewhere.example' });
    const preflight = await call('OPTIONS', '/products', { origin: 'https://elsewhere.example', 'access-control-request-method': 'GET' });

    expect(answer.headers.get('access-control-allow-origin')).toBeNull();
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe("the local identity provider's routes", () => {
  it('publishes its keys as a JWKS, the kid of its tokens among them', async () => {
    const token = await tokenFor({ customer: 'c-1' });
    const jwks = await call('GET', JWKS_PATH);
    const { kid } = JSON.parse(Buffer.from(token.split('.')[0] as string, 'base64url').toString('utf8'));

    expect(jwks.status).toBe(200);
    expect(jwks.body.keys.map((key: { kid: string; kty: string }) => [key.kid, key.kty])).toEqual([[kid, 'RSA']]);
    expect(jwks.body.keys[0]).not.toHaveProperty('d');
  });

  it('refuses to mint a token for neither a customer nor an admin, as problem+json', async () => {
    for (const asked of [{}, { customer: '' }, { customer: 'c-1', admin: true }, { customer: 'c-1', scopes: 'storefront/shop' }]) {
      const answer = await call('POST', TOKENS_PATH, {}, asked);

      expect([asked, answer.status, answer.headers.get('content-type')]).toEqual([asked, 400, 'application/problem+json']);
    }
  });
});
