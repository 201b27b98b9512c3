import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '@storefront/testing';
import { eventually, request } from '../support/http';
import { sharedLocalStack, type SharedStack } from '../support/shared-stack';
import { claimsOf, mintToken, tampered, tokenFor } from '../support/tokens';

/**
 * Who may call the API, on the local stack as on AWS: the gateway checks every token as the platform's JWT authorizer
 * does (signature, issuer, client, expiry, scopes), the handlers check the group and whose data it is.
 */
const run = promisify(execFile);
const workspaceRoot = join(import.meta.dirname, '../..');
const SKU = 'E2E-AUTH-LAMP';
const customerA = `e2e-auth-a-${randomUUID()}`;
const customerB = `e2e-auth-b-${randomUUID()}`;
let stack: SharedStack;
let orderOfA: string;
let orderOfB: string;

const anOrder = (customerId: string) => ({
  customerId,
  currency: 'EUR',
  paymentMethod: 'pm_card_visa',
  lines: [{ sku: SKU, quantity: 1 }],
});
const withToken = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });
const product = async () => (await request(stack.baseUrl, 'GET', `/products/${SKU}`)).body;

beforeAll(async () => {
  stack = await sharedLocalStack();
  const stocked = await request(stack.baseUrl, 'PUT', `/products/${SKU}`, {
    body: { name: 'Lamp', price: 1500, currency: 'EUR', stock: 10 },
    as: 'admin',
  });
  expect(stocked.status).toBe(200);
  const [placedA, placedB] = await Promise.all(
    [customerA, customerB].map((customerId) =>
      request(stack.baseUrl, 'POST', '/orders', { body: anOrder(customerId), as: { customer: customerId } }),
    ),
  );
  expect([placedA?.status, placedB?.status]).toEqual([201, 201]);
  orderOfA = placedA?.body.orderId;
  orderOfB = placedB?.body.orderId;
  // Both orders are paid before the tests look at the catalogue, so the saga moves no stock under them.
  await eventually(async () => ((await product()).sold === 2 ? true : undefined), { what: 'both orders paid', timeoutMs: 60_000 });
}, 180_000);

describe('tokens at the gateway, as the API authorizer checks them', () => {
  it('answers a protected route without a token 401 problem+json, with the www-authenticate header AWS sends', async () => {
    const answer = await fetch(`${stack.baseUrl}/orders/${orderOfA}`);

    expect(answer.status).toBe(401);
    expect(answer.headers.get('content-type')).toBe('application/problem+json');
    expect(answer.headers.get('www-authenticate')).toBe(
      'Bearer scope="" error="invalid_token" error_description="the request has no token"',
    );
    expect(await answer.json()).toMatchObject({ status: 401, title: 'Unauthorized', correlationId: expect.any(String) });
  });

  it('answers an expired, tampered, other-issuer or other-client token 401', async () => {
    const tokens = {
      expired: await mintToken(stack.baseUrl, { customer: customerA }, { expiresInSeconds: -60 }),
      tampered: tampered(await tokenFor(stack.baseUrl, { customer: customerA })),
      'other issuer': await mintToken(
        stack.baseUrl,
        { customer: customerA },
        { issuer: 'https://cognito-idp.us-east-1.amazonaws.com/elsewhere' },
      ),
      'other client': await mintToken(stack.baseUrl, { customer: customerA }, { clientId: 'another-app' }),
    };

    const answers = await Promise.all(
      Object.entries(tokens).map(async ([flaw, token]) => {
        const answer = await request(stack.baseUrl, 'GET', `/orders/${orderOfA}`, withToken(token));
        return [flaw, answer.status, answer.body.detail];
      }),
    );

    expect(answers).toEqual([
      ['expired', 401, 'Unauthorized: the token has expired'],
      ['tampered', 401, 'Unauthorized: the token signature is invalid'],
      ['other issuer', 401, 'Unauthorized: the token does not have a valid issuer'],
      ['other client', 401, 'Unauthorized: the token does not have a valid audience'],
    ]);
  });

  it("answers a customer's token on the catalogue's admin routes 403, and the catalogue stays as it was", async () => {
    const before = await product();

    const put = await request(stack.baseUrl, 'PUT', `/products/${SKU}`, {
      body: { name: 'Stolen', price: 1, currency: 'EUR', stock: 0 },
      as: { customer: customerA },
    });
    const adjusted = await request(stack.baseUrl, 'POST', `/products/${SKU}/stock-adjustments`, {
      body: { delta: -5, reason: 'not mine to change' },
      as: { customer: customerA },
    });

    expect([put.status, put.contentType, adjusted.status]).toEqual([403, 'application/problem+json', 403]);
    expect(await product()).toEqual(before);
  });

  it('keeps the catalogue reads public', async () => {
    const listed = await request(stack.baseUrl, 'GET', '/products?limit=1');
    const read = await request(stack.baseUrl, 'GET', `/products/${SKU}`);

    expect([listed.status, read.status]).toEqual([200, 200]);
  });
});

describe("whose data it is (the handlers' checks)", () => {
  it("answers customer A's own order 200, B's order 404 and B's listing 403", async () => {
    const own = await request(stack.baseUrl, 'GET', `/orders/${orderOfA}`, { as: { customer: customerA } });
    const othersOrder = await request(stack.baseUrl, 'GET', `/orders/${orderOfB}`, { as: { customer: customerA } });
    const othersListing = await request(stack.baseUrl, 'GET', `/customers/${customerB}/orders`, { as: { customer: customerA } });

    expect(own.status).toBe(200);
    expect(own.body.customerId).toBe(customerA);
    expect([othersOrder.status, othersOrder.contentType]).toEqual([404, 'application/problem+json']);
    expect([othersListing.status, othersListing.contentType]).toEqual([403, 'application/problem+json']);
  });

  it("lets an admin read both customers' orders and listings", async () => {
    const reads = await Promise.all([
      request(stack.baseUrl, 'GET', `/orders/${orderOfA}`, { as: 'admin' }),
      request(stack.baseUrl, 'GET', `/orders/${orderOfB}`, { as: 'admin' }),
      request(stack.baseUrl, 'GET', `/customers/${customerA}/orders`, { as: 'admin' }),
      request(stack.baseUrl, 'GET', `/customers/${customerB}/orders`, { as: 'admin' }),
    ]);

    expect(reads.map((read) => read.status)).toEqual([200, 200, 200, 200]);
    expect(reads[3]?.body.items.map((order: { orderId: string }) => order.orderId)).toEqual([orderOfB]);
  });

  it("answers an order placed with A's token in B's name 403, and places nothing for B", async () => {
    const placed = await request(stack.baseUrl, 'POST', '/orders', { body: anOrder(customerB), as: { customer: customerA } });

    expect(placed.status).toBe(403);
    expect(
      (await request(stack.baseUrl, 'GET', `/customers/${customerB}/orders`, { as: { customer: customerB } })).body.items,
    ).toHaveLength(1);
  });
});

describe('npm run token', () => {
  const token = (...args: string[]) => run('npm', ['run', '-s', 'token', '--', ...args], { cwd: workspaceRoot });

  it("prints only a customer's bearer token, on one line", async () => {
    const { stdout, stderr } = await token('--customer', 'c-1', '--url', stack.baseUrl);

    expect(stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    expect(stderr).toBe('');
    expect(claimsOf(stdout.trim())).toMatchObject({ sub: 'c-1', 'cognito:groups': ['customers'], token_use: 'access' });
  });

  it("prints an admin's token with --admin", async () => {
    const { stdout } = await token('--admin', '--url', stack.baseUrl);

    expect(claimsOf(stdout.trim())).toMatchObject({ 'cognito:groups': ['admins'], scope: 'storefront/shop storefront/admin' });
  });

  it('lets the curl of the README place an order for c-1', async () => {
    const order = JSON.stringify(anOrder('c-1'));
    const command =
      `curl -s -X POST ${stack.baseUrl}/orders -H "authorization: Bearer $(npm run -s token -- --customer c-1 --url ${stack.baseUrl})" ` +
      `-H 'content-type: application/json' -d '${order}'`;

    const { stdout } = await run('sh', ['-c', command], { cwd: workspaceRoot });

    expect(JSON.parse(stdout)).toMatchObject({ customerId: 'c-1', status: 'PENDING' });
  });

  it('says in one line on stderr that no local stack answers, and exits 1', async () => {
    const url = `http://localhost:${await freePort()}`;

    const failed = await token('--customer', 'c-1', '--url', url).then(
      () => ({ code: 0, stdout: '', stderr: '' }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );

    expect(failed.code).toBe(1);
    expect(failed.stdout).toBe('');
    expect(failed.stderr).toBe(`✘ No local stack answers at ${url}. Start it with \`npm start\` (or pass --url).\n`);
  });
});

describe('CORS for the browser client', () => {
  it('answers a preflight from the browser origin itself, with the methods and headers the API allows', async () => {
    const answer = await fetch(`${stack.baseUrl}/orders`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:3000',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization',
      },
    });

    expect(answer.status).toBe(204);
    expect(answer.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
    expect(answer.headers.get('access-control-allow-headers')).toContain('authorization');
  });
});
