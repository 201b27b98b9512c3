import { HttpRoutes, type HttpRoute } from '@storefront/contracts';
import { INTRUDER } from '../support/fuzz/auth-kinds';
import { fuzzCases } from '../support/fuzz/catalogue';
import { percentEncode, routeKey, type FuzzCase, type World } from '../support/fuzz/requests';
import { judge, SERVER_ERROR_IN_DISGUISE } from '../support/fuzz/verdicts';

const world: World = {
  sku: 'FUZZ-SEED-1',
  orderId: 'c0ffee00-0000-4000-8000-000000000001',
  customerId: 'fuzz-seed-customer',
  cursors: { 'GET /products': Buffer.from('{"PK":"PRODUCT#A","SK":"PRODUCT"}').toString('base64url') },
};
const aCase = (expect: FuzzCase['expect'], method = 'POST'): FuzzCase => ({
  id: 1,
  route: 'POST /orders',
  kind: 'a kind',
  request: { method, path: '/orders', headers: {} },
  expect,
});
const problem = (status: number) => ({
  status,
  contentType: 'application/problem+json',
  text: JSON.stringify({ type: 'urn:x', title: 'T', status, detail: 'D' }),
});
const rulesOf = (fuzzCase: FuzzCase, answer: Parameters<typeof judge>[1]) => judge(fuzzCase, answer).map((v) => v.rule);

describe('the fuzz catalogue', () => {
  let cases: FuzzCase[];
  beforeAll(() => {
    cases = fuzzCases(world);
  });

  it('draws the same requests from the same seed and world, over 2,000 of them, for every route', () => {
    const again = fuzzCases(world);

    expect(again.map((c) => [c.request, c.caller])).toEqual(cases.map((c) => [c.request, c.caller]));
    expect(cases.length).toBeGreaterThanOrEqual(2_000);
    expect(new Set(cases.map((c) => c.route))).toEqual(new Set(Object.values(HttpRoutes as Record<string, HttpRoute>).map(routeKey)));
  });

  it('lets no request to a write route succeed, and points no write without a body at something that exists but for an intruder', () => {
    const writes = cases.filter((c) => !c.route.startsWith('GET '));
    const cancels = cases.filter((c) => c.route === 'POST /orders/{orderId}/cancel');
    // A preflight may be answered 2xx once CORS exists; nothing serves OPTIONS, so it cannot write.
    const toleratingSuccess = writes.filter(
      (c) => c.request.method !== 'OPTIONS' && (!c.expect || ('statuses' in c.expect && c.expect.statuses.some((s) => s < 400))),
    );

    expect(toleratingSuccess.map((c) => `${c.route} · ${c.kind}`)).toEqual([]);
    expect(cancels.length).toBeGreaterThan(0);
    // Only another customer is sent at the seeded order, and its cancel must be a 404: the order is not theirs.
    expect(cancels.filter((c) => c.request.path.includes(world.orderId)).map((c) => [c.caller, c.expect])).toEqual([
      [{ as: { customer: INTRUDER } }, { statuses: [404] }],
    ]);
  });

  it('sends each route its usual caller, and every protected route requests without a token or with a wrong one', () => {
    const byRoute = (route: string) => cases.filter((c) => c.route === route);
    const usual = (route: string) => byRoute(route).find((c) => !c.kind.startsWith('auth:'))?.caller;
    const authKindsOf = (route: string) => new Set(byRoute(route).flatMap((c) => (c.kind.startsWith('auth:') ? [c.kind] : [])));

    expect(usual('GET /products')).toBeUndefined();
    expect(usual('PUT /products/{sku}')).toEqual({ as: 'admin' });
    expect(usual('GET /orders/{orderId}')).toEqual({ as: { customer: world.customerId } });
    // Placing an order: the token's subject is the case itself, as is the body's customer.
    const placing = byRoute('POST /orders').filter((c) => !c.kind.startsWith('auth:') && c.request.body?.includes('"customerId"'));
    expect(placing.length).toBeGreaterThan(0);
    for (const c of placing.slice(0, 20)) expect(c.caller).toEqual({ as: { customer: `fuzz-case-${c.id}` } });
    expect(authKindsOf('GET /products').size).toBe(0);
    expect([...authKindsOf('PUT /products/{sku}')].sort()).toEqual([
      "auth: a customer's token on an admin route",
      'auth: a token the authorizer must refuse',
      'auth: no token, or not a token',
    ]);
    expect([...authKindsOf('GET /customers/{customerId}/orders')].sort()).toEqual([
      'auth: a token the authorizer must refuse',
      "auth: another customer's resources",
      'auth: no token, or not a token',
    ]);
  });
});

describe('judging an answer', () => {
  it('accepts a problem+json refusal where a refusal is due', () => {
    expect(rulesOf(aCase({ refused: true }), problem(400))).toEqual([]);
  });

  it('flags a 5xx, a 4xx that is not problem+json, and a status other than the one due', () => {
    expect(rulesOf(aCase(undefined), problem(500))).toEqual(['a server error (5xx)']);
    expect(rulesOf(aCase(undefined), { status: 400, contentType: 'application/json', text: '{"statusCode":400}' })).toEqual([
      'a 4xx that is not application/problem+json',
    ]);
    expect(rulesOf(aCase({ statuses: [415] }), { status: 201, contentType: 'application/json', text: '{}' })).toEqual([
      'answered 201 where 415 was due',
    ]);
  });

  it('flags a problem whose status is not the answer’s, and a Lambda error handed out as a 200', () => {
    expect(rulesOf(aCase(undefined), { ...problem(404), status: 400 })).toEqual(['a problem without type, title, detail and its status']);
    expect(
      rulesOf(aCase({ statuses: [400] }), {
        status: 200,
        contentType: 'application/json',
        text: '{"errorType":"E","errorMessage":"timeout"}',
      }),
    ).toEqual([SERVER_ERROR_IN_DISGUISE]);
  });

  it('reads no body on a HEAD answer, only its content type', () => {
    expect(rulesOf(aCase({ statuses: [405] }, 'HEAD'), { status: 405, contentType: 'application/problem+json', text: '' })).toEqual([]);
  });

  it('percent-encodes every byte but the unreserved ones, lone surrogates included', () => {
    expect(percentEncode("a b/é!'~\ud800")).toBe('a%20b%2F%C3%A9%21%27~%EF%BF%BD');
  });
});
