#!/usr/bin/env node
/**
 * `npm run bench`: the figures this project promises, measured on this
 * machine and compared with tools/budgets.json. Exits non-zero when one is
 * over budget. Needs nothing running; it packages and boots what it measures.
 *   boot          `npm start --fresh` to "ready", on free ports
 *   cold starts   every function started as Lambda starts it, imported and invoked once, paired run by run with an
 *                 empty Node process: the difference and the ratio (medians of 10 pairs); where the time goes in
 *                 .bench/cold-starts.md (tools/bench-cold-starts.ts)
 *   place order   POST /orders through the local gateway (p50/p95 of 40, after 5 warm-ups)
 *   order → notification   POST /orders until the customer's notification is listed
 *   order → CONFIRMED   POST /orders until GET /orders/{id} shows it paid (p50/p99 of 50, 5 customers at a time)
 *   burst         500 POST /orders at once: all answered 201, the saga settled, times and the stack's peak memory
 *   reporting     10,000 paid orders (OrderConfirmed) through the orders topic into reporting's day figures, then the
 *                 day's report built through POST /reports/daily/{date}: both times, and every order counted once
 *   cost          `npm run cost` on a stack of its own: dollars per million orders at list prices (budget in `cost`)
 * `npm run bench -- --only <parts>` measures some of them (comma-separated): cold-starts, orders (place order, order →
 * notification, order → CONFIRMED), burst (with the place order figures it compares against), reporting, cost.
 * `--function orders/getOrder …` and `--pairs 20` narrow and deepen the cold starts.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { burstOfOrders, type RecordFigure } from './bench-burst.ts';
import { paidOrdersReport } from './bench-reporting.ts';
import { type ColdStartBudgets, coldStartTable, defaultReportFile, measureColdStarts } from './bench-cold-starts.ts';
import { workspaceRoot } from '#packaging';
import { onFreePortBlock } from './local/port-block.ts';
import { apiClient, type ApiCall } from './local/token-client.ts';

const { values: options } = parseArgs({
  options: { only: { type: 'string' }, function: { type: 'string', multiple: true }, pairs: { type: 'string', default: '10' } },
});
const PARTS = ['cold-starts', 'orders', 'burst', 'reporting', 'cost'];
const parts = options.only?.split(',').map((part) => part.trim()) ?? PARTS;
const unknownParts = parts.filter((part) => !PARTS.includes(part));
if (unknownParts.length || parts.length === 0) {
  process.stderr.write(`✘ --only takes some of ${PARTS.join(', ')}, comma-separated (got ${options.only}).\n`);
  process.exit(2);
}
const runs = (part: string) => parts.includes(part);
// Fewer than 10 pairs leaves a median one noisy run could move.
const pairs = Math.max(10, Number(options.pairs) || 10);

const {
  bench: budgets,
  cost: costBudgets,
  coldStartOverEmptyNodeMs,
} = JSON.parse(readFileSync(new URL('./budgets.json', import.meta.url), 'utf8')) as {
  bench: { [figure: string]: number };
  cost: { [figure: string]: number };
  coldStartOverEmptyNodeMs: ColdStartBudgets;
};
const results: { name: string; value: number; budget: number | undefined; unit: string }[] = [];
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const percentile = (values: number[], p: number): number =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil((p / 100) * values.length) - 1)] as number;
const record: RecordFigure = (name, value, budget, unit = 'ms') => results.push({ name, value, budget, unit });

/** Every function's paired cold start against the running stack's emulators; the breakdown goes to .bench/cold-starts.md. */
async function coldStarts(stack: { url: string; basePort: number }) {
  const figures = await measureColdStarts({
    basePort: stack.basePort,
    apiEndpoint: stack.url,
    pairs,
    budgets: coldStartOverEmptyNodeMs,
    only: options.function,
    reportFile: defaultReportFile,
  });
  console.log(`${coldStartTable(figures)}\n(where the time goes: ${relative(process.cwd(), defaultReportFile)})\n`);
  for (const figure of figures) {
    record(`cold start ${figure.name} (over empty node)`, figure.overEmptyMs, figure.budget);
    record(`cold start ${figure.name} (× empty node)`, figure.ratio, undefined, '×');
  }
}

const bootStack = () => onFreePortBlock(bootStackOn);

async function bootStackOn(basePort: number) {
  const stateDir = mkdtempSync(join(tmpdir(), 'storefront-bench-'));
  const started = Date.now();
  const child = spawn(
    process.execPath,
    [
      '--disable-warning=ExperimentalWarning',
      'tools/local/start.ts',
      '--fresh',
      '--quiet-services',
      '--stop-when-stdin-closes',
      '--base-port',
      String(basePort),
      '--state-dir',
      stateDir,
    ],
    {
      cwd: workspaceRoot,
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  // The stack's state goes with it, however it ends.
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      rmSync(stateDir, { recursive: true, force: true });
      resolve(code);
    }),
  );
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const ready = /is ready in .* at (http:\/\/\S+)/.exec(output);
      if (ready) resolve(ready[1] as string);
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
      process.stderr.write(chunk);
    });
    void exited.then((code) => reject(new Error(`the stack exited (${code}):\n${output}`)));
  });
  record('boot (npm start --fresh, to ready)', Date.now() - started, budgets.bootMs);
  return {
    url,
    basePort,
    pid: child.pid as number,
    stop: async () => {
      child.kill('SIGINT');
      await exited;
    },
  };
}

/** Places an order of one unit for a customer, with that customer's token: the order's customer is the token's subject. */
const post = (api: ApiCall, customerId: string, sku = 'SKU-1') =>
  api('/orders', {
    method: 'POST',
    as: { customer: customerId },
    body: JSON.stringify({ customerId, currency: 'EUR', paymentMethod: 'pm_card_visa', lines: [{ sku, quantity: 1 }] }),
  });

async function placeOrderLatency(api: ApiCall): Promise<number> {
  // The warm-ups also fetch the token, so the samples time the order alone.
  for (let i = 0; i < 5; i++) await (await post(api, 'bench')).text();
  const samples: number[] = [];
  for (let i = 0; i < 40; i++) {
    const started = performance.now();
    const response = await post(api, 'bench');
    if (response.status !== 201) throw new Error(`POST /orders answered ${response.status}`);
    await response.text();
    samples.push(performance.now() - started);
  }
  record('place order p50 (local gateway)', percentile(samples, 50), budgets.placeOrderP50Ms);
  record('place order p95 (local gateway)', percentile(samples, 95), budgets.placeOrderP95Ms);
  return percentile(samples, 50);
}

async function orderToNotification(api: ApiCall): Promise<void> {
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) {
    const customer = { customer: `bench-notify-${i}` };
    // Each customer's token first, so the figure is the order's way to a notification, not a token's minting.
    await (await api(`/customers/${customer.customer}/notifications`, { as: customer })).text();
    const started = performance.now();
    await (await post(api, customer.customer)).text();
    for (;;) {
      const listed = (await (await api(`/customers/${customer.customer}/notifications`, { as: customer })).json()) as {
        items?: unknown[];
      };
      if (listed.items?.length) break;
      if (performance.now() - started > 30_000) throw new Error('no notification within 30 s');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    samples.push(performance.now() - started);
  }
  record('order → notification (median of 5)', median(samples), budgets.orderToNotificationMs);
}

/** From POST /orders to the order CONFIRMED: the saga and the checkout workflow, through the gateway. */
async function orderToConfirmed(api: ApiCall): Promise<void> {
  const sku = 'BENCH-PAID';
  const product = { name: 'Paid for', price: 1250, currency: 'EUR', stock: 1000 };
  await api(`/products/${sku}`, { method: 'PUT', as: 'admin', body: JSON.stringify(product) });
  const samples: number[] = [];
  const lane = async (lane: number) => {
    const customer = { customer: `bench-pay-${lane}` };
    await (await api(`/customers/${customer.customer}/orders?limit=1`, { as: customer })).text();
    for (let i = 0; i < 10; i++) {
      const started = performance.now();
      const placed = (await (await post(api, customer.customer, sku)).json()) as { orderId: string };
      for (;;) {
        const current = (await (await api(`/orders/${placed.orderId}`, { as: customer })).json()) as { status: string };
        if (current.status === 'CONFIRMED') break;
        if (current.status !== 'PENDING' && current.status !== 'RESERVED') throw new Error(`order ended ${current.status}`);
        if (performance.now() - started > 30_000) throw new Error('no CONFIRMED within 30 s');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      samples.push(performance.now() - started);
    }
  };
  await Promise.all([0, 1, 2, 3, 4].map(lane));
  record('order → CONFIRMED p50 (gateway, 5 at a time)', percentile(samples, 50), budgets.orderToConfirmedP50Ms);
  record('order → CONFIRMED p99 (gateway, 5 at a time)', percentile(samples, 99), budgets.orderToConfirmedP99Ms);
}

execFileSync(process.execPath, ['tools/packaging/src/package.ts'], { cwd: workspaceRoot, stdio: 'ignore' });
async function onOneStack() {
  const stack = await bootStack();
  try {
    const api = apiClient(stack.url);
    if (runs('cold-starts')) await coldStarts(stack);
    if (runs('orders') || runs('burst')) {
      const placeOrderP50Ms = await placeOrderLatency(api);
      if (runs('orders')) {
        await orderToNotification(api);
        await orderToConfirmed(api);
      }
      if (runs('burst')) await burstOfOrders(api, { stackPid: stack.pid, placeOrderP50Ms, record, budgets });
    }
    if (runs('reporting')) await paidOrdersReport(api, { basePort: stack.basePort, record, budgets });
  } finally {
    await stack.stop();
  }
}

/** The cost meter puts counting proxies in front of the emulators, so it measures on a stack of its own, after the timings. */
function costOfAnOrder() {
  const cost = JSON.parse(
    execFileSync(process.execPath, ['--disable-warning=ExperimentalWarning', 'tools/cost/cost.ts', '--json'], {
      cwd: workspaceRoot,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      maxBuffer: 16 * 1024 * 1024,
    }),
  ) as { dollarsPerMillionOrders: number; orders: number };
  record(
    `cost: $ per million orders (${cost.orders} orders, list prices)`,
    cost.dollarsPerMillionOrders,
    costBudgets.dollarsPerMillionOrders,
    '$',
  );
}

if (PARTS.filter((part) => part !== 'cost').some(runs)) await onOneStack();
if (runs('cost')) costOfAnOrder();

// A figure without a budget is shown for context; ratios keep two decimals.
const shown = (value: number, unit: string) => `${value.toFixed(unit === '×' || unit === '$' ? 2 : 0)} ${unit}`.trim();
console.log(`${'measure'.padEnd(52)} ${'value'.padStart(10)} ${'budget'.padStart(10)}`);
for (const { name, value, budget, unit } of results) {
  const verdict = budget !== undefined && value > budget ? '  OVER BUDGET' : '';
  console.log(
    `${name.padEnd(52)} ${shown(value, unit).padStart(10)} ${(budget === undefined ? '–' : shown(budget, unit)).padStart(10)}${verdict}`,
  );
}
const over = results.filter((r) => r.budget !== undefined && r.value > r.budget);
console.log(over.length ? `\n${over.length} figure(s) over budget` : '\nevery figure within budget');
process.exit(over.length ? 1 : 0);
