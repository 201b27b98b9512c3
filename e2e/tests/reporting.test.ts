import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sharedLocalStack, type SharedStack } from '../support/shared-stack';
import { eventually, request } from '../support/http';

const run = promisify(execFile);
const workspaceRoot = join(import.meta.dirname, '../..');
// The suite's own currency: other suites confirm orders on the same stack today, in euros.
const CURRENCY = 'CHF';
const FINAL_STATUSES = ['CONFIRMED', 'PAYMENT_FAILED', 'REJECTED', 'CANCELLED'];
const utcDay = (at: Date) => at.toISOString().slice(0, 10);

let stack: SharedStack;

beforeAll(async () => {
  stack = await sharedLocalStack();
}, 180_000);

/** `npm run schedule -- <args>` against the shared stack: its exit code and what it printed. */
async function schedule(...args: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout } = await run('npm', ['run', '-s', 'schedule', '--', ...args, '--base-port', String(stack.basePort)], {
      cwd: workspaceRoot,
      timeout: 120_000,
    });
    return { code: 0, output: stdout };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? 1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

async function confirmedOrder(lines: { sku: string; quantity: number }[]): Promise<string> {
  const placed = await request(stack.baseUrl, 'POST', '/orders', {
    body: { customerId: 'reporting-e2e', currency: CURRENCY, paymentMethod: 'pm_card_visa', lines },
    as: { customer: 'reporting-e2e' },
  });
  expect(placed.status).toBe(201);
  const order = await eventually(
    async () => {
      const current = (await request(stack.baseUrl, 'GET', `/orders/${placed.body.orderId}`, { as: { customer: 'reporting-e2e' } })).body;
      return FINAL_STATUSES.includes(current.status) ? current : undefined;
    },
    { what: `order ${placed.body.orderId} to be paid`, timeoutMs: 30_000 },
  );
  expect(order.status).toBe('CONFIRMED');
  return order.orderId;
}

/** Builds the day's report on request until it counts `orders` in the suite's currency (OrderConfirmed may still be on its way). */
async function reportCounting(date: string, orders: number) {
  return eventually(
    async () => {
      const build = await request(stack.baseUrl, 'POST', `/reports/daily/${date}`, { as: 'admin' });
      if (build.status !== 202 && build.status !== 409) throw new Error(`POST answered ${build.status}`);
      // Until this build records it, GET may answer an earlier build's report (or none): the loop asks again.
      const report = await eventually(
        async () => {
          const got = await request(stack.baseUrl, 'GET', `/reports/daily/${date}`, { as: 'admin' });
          return got.status === 200 ? got : undefined;
        },
        { what: `the report of ${date}` },
      );
      const figures = report.body.currencies.find((c: { currency: string }) => c.currency === CURRENCY);
      return figures?.orders === orders ? report : undefined;
    },
    { what: `the report of ${date} to count ${orders} ${CURRENCY} orders`, timeoutMs: 60_000, intervalMs: 1000 },
  );
}

describe('daily sales reports on the local stack', () => {
  it('reports three paid orders of two SKUs, and the CSV behind its download link lists both with their units and revenue', async () => {
    const today = utcDay(new Date());
    for (const [sku, price] of [
      ['RPT-A', 1250],
      ['RPT-B', 990],
    ] as const)
      await request(stack.baseUrl, 'PUT', `/products/${sku}`, { body: { name: sku, price, currency: CURRENCY, stock: 100 }, as: 'admin' });
    await confirmedOrder([{ sku: 'RPT-A', quantity: 2 }]);
    await confirmedOrder([{ sku: 'RPT-B', quantity: 1 }]);
    await confirmedOrder([
      { sku: 'RPT-A', quantity: 1 },
      { sku: 'RPT-B', quantity: 3 },
    ]);

    const report = await reportCounting(today, 3);

    expect(report.body).toMatchObject({ date: today, stale: false, files: { csv: `reports/daily/${today}.csv` } });
    expect(report.body.currencies).toContainEqual({
      currency: CURRENCY,
      orders: 3,
      units: 7,
      revenue: 3 * 1250 + 4 * 990,
      refunds: 0,
      refundedUnits: 0,
      refundedAmount: 0,
      netRevenue: 3 * 1250 + 4 * 990,
    });
    const downloaded = await run('curl', ['-s', '-f', report.body.download.csvUrl]);
    const rows = downloaded.stdout.trim().split('\r\n');
    expect(rows[0]).toBe('date,currency,sku,orders,units,revenue_minor,refunds,refunded_units,refunded_amount_minor,net_revenue_minor');
    expect(rows).toContain(`${today},${CURRENCY},RPT-A,2,3,3750,0,0,0,3750`);
    expect(rows).toContain(`${today},${CURRENCY},RPT-B,2,4,3960,0,0,0,3960`);
  }, 180_000);

  it('answers 404 for a day never built, and a 400 problem for a date that is not one', async () => {
    const missing = await request(stack.baseUrl, 'GET', '/reports/daily/2001-02-03', { as: 'admin' });
    const badDate = await request(stack.baseUrl, 'GET', '/reports/daily/2026-02-30', { as: 'admin' });
    const badBuild = await request(stack.baseUrl, 'POST', '/reports/daily/yesterday', { as: 'admin' });

    expect(missing.status).toBe(404);
    for (const answer of [badDate, badBuild]) {
      expect(answer.status).toBe(400);
      expect(answer.contentType).toBe('application/problem+json');
    }
    expect(badDate.body.errors).toEqual([{ path: 'path.date', message: 'must be a day of the calendar' }]);
  });

  it("npm run schedule -- reporting:dailyReport builds yesterday's report through the workflow, as the nightly schedule does", async () => {
    const yesterday = utcDay(new Date(Date.now() - 86_400_000));

    const fired = await schedule('reporting:dailyReport');

    expect(fired.code).toBe(0);
    expect(JSON.parse(fired.output)).toMatchObject({ schedule: 'reporting:dailyReport', target: 'state-machine', status: 'SUCCEEDED' });
    expect(JSON.parse(fired.output).output.plan.dates).toContain(yesterday);
    const report = await request(stack.baseUrl, 'GET', `/reports/daily/${yesterday}`, { as: 'admin' });
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({ date: yesterday, stale: false, files: { json: `reports/daily/${yesterday}.json` } });
  }, 150_000);

  it('npm run schedule -- orders:resolveStaleOrders runs the stale-order check on the same path', async () => {
    const fired = await schedule('orders:resolveStaleOrders');

    expect(fired.code).toBe(0);
    expect(JSON.parse(fired.output)).toMatchObject({
      schedule: 'orders:resolveStaleOrders',
      target: 'function',
      ok: true,
      payload: { resolved: expect.any(Array), movedOn: expect.any(Array) },
    });
  }, 60_000);

  it('lists every schedule of the templates, and names them when asked for one it does not have', async () => {
    const listed = await schedule();
    const unknown = await schedule('reporting:weeklyReport');

    expect(listed.output).toMatch(/orders:resolveStaleOrders\s+rate\(5 minutes\)/);
    expect(listed.output).toMatch(/reporting:dailyReport\s+cron\(15 0 \* \* \? \*\) UTC/);
    expect(unknown.code).not.toBe(0);
    expect(unknown.output).toContain('no schedule reporting:weeklyReport');
  }, 60_000);
});
