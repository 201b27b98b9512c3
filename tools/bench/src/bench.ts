#!/usr/bin/env node
/**
 * `npm run bench`: the figures this project promises, measured on this
 * machine and compared with tools/bench/budgets.json. Exits non-zero when one is
 * over budget. Needs nothing running; it packages and boots what it measures.
 *   boot          `npm start --fresh` to "ready", on free ports
 *   cold starts   every function started as Lambda starts it, imported and invoked once, paired run by run with an
 *                 empty Node process: the difference and the ratio (medians of 10 pairs); each HTTP function also
 *                 against its SDK floor, a bundle making the same first SDK calls and nothing else (sdk-floor.ts):
 *                 the floor over empty Node and the function over its floor; where the time goes in
 *                 .bench/cold-starts.md (cold-starts/)
 *   place order   POST /orders through the local gateway (p50/p95 of 40, after 5 warm-ups)
 *   order → notification   POST /orders until the customer's notification is listed
 *   order → CONFIRMED   POST /orders until GET /orders/{id} shows it paid (p50/p99 of 50, 5 customers at a time)
 *   burst         500 POST /orders at once: all answered 201, the saga settled, times and the stack's peak memory
 *   reporting     10,000 paid orders (OrderConfirmed) through the orders topic into reporting's day figures, then the
 *                 day's report built through POST /reports/daily/{date}: both times, and every order counted once
 *   faults        on a stack of its own whose payment provider fails 30% of its calls: 5 rounds of 200 orders, 20 at a
 *                 time; every order ended soon after the round's last POST, and charge calls per checkout (worst round)
 *   cost          `npm run cost` on a stack of its own: dollars per million orders at list prices (budget in `cost`)
 * `npm run bench -- --only <parts>` measures some of them (comma-separated): cold-starts, orders (place order, order →
 * notification, order → CONFIRMED), burst (with the place order figures it compares against), reporting, faults, cost.
 * `--function orders/getOrder …` and `--pairs 20` narrow and deepen the cold starts, `--compile-cache` also times each HTTP
 * function with a V8 compile cache (a trial); `--rounds 1` shortens the fault run.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { burstOfOrders } from './burst/burst.ts';
import type { RecordFigure } from './figures.ts';
import { orderToConfirmed, orderToNotification, placeOrderLatency } from './timings/orders.ts';
import { paidOrdersReport } from './reporting/reporting.ts';
import { FAULT_RATE, faultRun } from './faults/faults.ts';
import { type ColdStartBudgets, coldStartTable, defaultReportFile, measureColdStarts } from './cold-starts/cold-starts.ts';
import { workspaceRoot } from '#packaging';
import { apiClient, spawnLocalCloud } from '#local-cloud';

const { values: options } = parseArgs({
  options: {
    only: { type: 'string' },
    function: { type: 'string', multiple: true },
    pairs: { type: 'string', default: '10' },
    'compile-cache': { type: 'boolean', default: false },
    rounds: { type: 'string', default: '5' },
  },
});
const PARTS = ['cold-starts', 'orders', 'burst', 'reporting', 'faults', 'cost'];
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
  coldStartOverSdkFloorMs,
} = JSON.parse(readFileSync(new URL('../budgets.json', import.meta.url), 'utf8')) as {
  bench: { [figure: string]: number };
  cost: { [figure: string]: number };
  coldStartOverEmptyNodeMs: ColdStartBudgets;
  coldStartOverSdkFloorMs: ColdStartBudgets;
};
const results: { name: string; value: number; budget: number | undefined; unit: string }[] = [];
const record: RecordFigure = (name, value, budget, unit = 'ms') => results.push({ name, value, budget, unit });

/** Every function's paired cold start against the running stack's emulators; the breakdown goes to .bench/cold-starts.md. */
async function coldStarts(stack: { baseUrl: string; basePort: number }) {
  const figures = await measureColdStarts({
    basePort: stack.basePort,
    apiEndpoint: stack.baseUrl,
    pairs,
    budgets: coldStartOverEmptyNodeMs,
    floorBudgets: coldStartOverSdkFloorMs,
    compileCache: options['compile-cache'],
    only: options.function,
    reportFile: defaultReportFile,
  });
  console.log(`${coldStartTable(figures)}\n(where the time goes: ${relative(process.cwd(), defaultReportFile)})\n`);
  for (const figure of figures) {
    record(`cold start ${figure.name} (over empty node)`, figure.overEmptyMs, figure.budget);
    record(`cold start ${figure.name} (× empty node)`, figure.ratio, undefined, '×');
    // A function with no floor (a call the floor has no recipe for) counts as over its floor budget until it has one.
    if (figure.sdkFloorMissing)
      record(
        `cold start ${figure.name} (over its SDK floor, CPU)`,
        Number.POSITIVE_INFINITY,
        coldStartOverSdkFloorMs[figure.name] ?? coldStartOverSdkFloorMs.http,
      );
    if (figure.sdkFloor) {
      record(`cold start ${figure.name} SDK floor (over empty node)`, figure.sdkFloor.overEmptyMs, undefined);
      record(`cold start ${figure.name} (over its SDK floor, CPU)`, figure.sdkFloor.overFloorCpuMs, figure.sdkFloor.budget);
      record(`cold start ${figure.name} (over its SDK floor, wall)`, figure.sdkFloor.overFloorMs, undefined);
    }
  }
}

/** A stack of its own, booted as `npm start --fresh` is, timed from the command to "ready". */
async function bootStack() {
  const started = Date.now();
  const stack = await spawnLocalCloud({ onStderr: (chunk) => process.stderr.write(chunk) });
  record('boot (npm start --fresh, to ready)', Date.now() - started, budgets.bootMs);
  return { ...stack, pid: stack.child.pid as number };
}

execFileSync(process.execPath, ['tools/packaging/src/package.ts'], { cwd: workspaceRoot, stdio: 'ignore' });
async function onOneStack() {
  const stack = await bootStack();
  try {
    const api = apiClient(stack.baseUrl);
    if (runs('cold-starts')) await coldStarts(stack);
    if (runs('orders') || runs('burst')) {
      const placeOrderP50Ms = await placeOrderLatency(api, { record, budgets });
      if (runs('orders')) {
        await orderToNotification(api, { record, budgets });
        await orderToConfirmed(api, { record, budgets });
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
    execFileSync(process.execPath, ['--disable-warning=ExperimentalWarning', 'tools/bench/src/cost/cost.ts', '--json'], {
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

/** The fault run needs a provider that fails from its first call, so it measures on a stack of its own. */
async function underPaymentFaults() {
  const stack = await spawnLocalCloud({ paymentFaults: FAULT_RATE, onStderr: (chunk) => process.stderr.write(chunk) });
  try {
    await faultRun(apiClient(stack.baseUrl), {
      paymentProvider: stack.endpoints.paymentProvider,
      rounds: Math.max(1, Number(options.rounds) || 5),
      record,
      budgets,
    });
  } finally {
    await stack.stop();
  }
}

if (PARTS.filter((part) => part !== 'cost' && part !== 'faults').some(runs)) await onOneStack();
if (runs('faults')) await underPaymentFaults();
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
