#!/usr/bin/env node
/**
 * `npm run cost`: what an order costs on AWS. Boots the local stack with a usage meter (on free ports, from empty
 * state), places orders through the gateway until each is CONFIRMED and everything they set off has settled
 * (notifications, reporting's day figures), divides what the meter counted by the orders, and prices it with the
 * dated list prices of tools/bench/src/cost/prices.json: dollars per million orders, largest lines first.
 *   --orders <n>   orders to measure (default 50), after 5 that warm every function up
 *   --json         print the figure, its lines and the raw counts as JSON
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { composeServices, describeFailure, packagedTemplate } from '#packaging';
import { type FunctionConfig, MILLION, type PriceTable, priceUsage } from './pricing.ts';
import { apiClient, createProgress, type ApiCall, type LocalCloud, startLocalCloud, type Usage, UsageMeter } from '#local-cloud';

const { values } = parseArgs({ options: { orders: { type: 'string', default: '50' }, json: { type: 'boolean', default: false } } });
const orders = Number(values.orders);
if (!Number.isInteger(orders) || orders < 1) {
  process.stderr.write(`✘ --orders takes a whole number, 1 or more (got ${values.orders}).\n`);
  process.exit(2);
}

const WARM_UP_ORDERS = 5;
const LANES = 5;
const SKU = 'COST-1';
/** No invocation and no billed request for this long after the last order is confirmed: the async side is done. */
const QUIET_MS = 5000;
const SETTLE_TIMEOUT_MS = 300_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const prices: PriceTable = JSON.parse(readFileSync(new URL('./prices.json', import.meta.url), 'utf8'));

/** What the things left out would add, and why they are not counted. */
const NOT_COUNTED = [
  'fixed monthly costs that do not grow with orders: Lambda SQS pollers (empty receives), schedules, Secrets Manager secrets, CloudWatch alarms and dashboards, KMS keys',
  'CloudWatch custom metrics (EMF; off locally), X-Ray traces (off locally), Lambda START/END/REPORT log lines',
  'data transfer and NAT (none inside the region); DynamoDB storage, streams (free for Lambda triggers), backups and PITR',
  'the payment provider and any read a customer makes after placing the order (GET /orders/{id} and the like)',
];

/** Memory size and architecture of every packaged function; Lambda's defaults where the template sets none. */
function functionConfigs(): Record<string, FunctionConfig> {
  const configs: Record<string, FunctionConfig> = {};
  for (const service of composeServices())
    for (const resource of Object.values(packagedTemplate(service)?.Resources ?? {})) {
      if (resource.Type !== 'AWS::Lambda::Function') continue;
      const properties = resource.Properties as { FunctionName?: unknown; MemorySize?: unknown; Architectures?: unknown[] };
      configs[String(properties.FunctionName)] = {
        memoryMB: Number(properties.MemorySize ?? 128),
        architecture: properties.Architectures?.[0] === 'arm64' ? 'arm64' : 'x86_64',
      };
    }
  return configs;
}

/** Places `count` orders of one unit, LANES at a time, each with its own correlation id; answers those ids. */
async function placeOrders(api: ApiCall, run: string, count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, (_, i) => `${run}-${i}`);
  let next = 0;
  const lane = async (customerId: string) => {
    while (next < ids.length) {
      const correlationId = ids[next++] as string;
      const response = await api('/orders', {
        method: 'POST',
        as: { customer: customerId },
        headers: { 'x-correlation-id': correlationId },
        body: JSON.stringify({ customerId, currency: 'EUR', paymentMethod: 'pm_card_visa', lines: [{ sku: SKU, quantity: 1 }] }),
      });
      if (response.status !== 201) throw new Error(`POST /orders answered ${response.status}: ${await response.text()}`);
      await response.text();
    }
  };
  await Promise.all(Array.from({ length: LANES }, (_, i) => lane(`cost-${i}`)));
  return ids;
}

/** Waits until every order's OrderConfirmed was published, then until the meter has seen nothing for QUIET_MS. */
async function settle(stack: LocalCloud, meter: UsageMeter, correlationIds: string[]): Promise<void> {
  const started = Date.now();
  const waiting = new Set(correlationIds);
  while (waiting.size) {
    for (const id of waiting) {
      const events = stack.trail.list({ correlationId: id }).filter((e) => e.kind === 'published');
      const ended = events.find((e) => ['StockRejected', 'OrderRejected', 'PaymentFailed'].includes(String(e.eventType)));
      if (ended) throw new Error(`order ${id} did not go through the saga: ${String(ended.eventType)}`);
      if (events.some((e) => e.eventType === 'OrderConfirmed')) waiting.delete(id);
    }
    if (Date.now() - started > SETTLE_TIMEOUT_MS)
      throw new Error(`${waiting.size} order(s) not CONFIRMED within ${SETTLE_TIMEOUT_MS / 1000} s`);
    await sleep(200);
  }
  while (Date.now() - meter.lastActivity < QUIET_MS) await sleep(250);
}

async function measure(): Promise<Usage> {
  const meter = new UsageMeter();
  const stateDir = mkdtempSync(join(tmpdir(), 'storefront-cost-'));
  const progress = createProgress({ write: (line) => process.stderr.write(`${line}\n`) });
  const stack = await startLocalCloud({ stateDir, fresh: true, progress, log: () => undefined, meter });
  try {
    const api = apiClient(stack.baseUrl);
    const product = { name: 'Costed', price: 1250, currency: 'EUR', stock: orders + WARM_UP_ORDERS + 10 };
    const put = await api(`/products/${SKU}`, { method: 'PUT', as: 'admin', body: JSON.stringify(product) });
    if (put.status !== 200) throw new Error(`PUT /products/${SKU} answered ${put.status}`);
    progress.info(`warming up with ${WARM_UP_ORDERS} orders, then measuring ${orders}…`);
    await settle(stack, meter, await placeOrders(api, 'cost-warm-up', WARM_UP_ORDERS));
    meter.reset();
    await settle(stack, meter, await placeOrders(api, 'cost', orders));
    return meter.snapshot();
  } finally {
    await stack.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

let usage: Usage;
try {
  usage = await measure();
} catch (error) {
  process.stderr.write(`\n✘ npm run cost did not finish: ${describeFailure(error)}\n`);
  process.exit(1);
}
const priced = priceUsage(usage, { orders, prices, functions: functionConfigs() });
const unreported = Object.entries(usage.lambda).filter(([, f]) => f.reportedInvocations < f.invocations);

if (values.json) {
  console.log(
    JSON.stringify(
      { orders, region: prices.region, pricesAsOf: prices.asOf, dollarsPerMillionOrders: priced.usdPerMillionOrders, ...priced, usage },
      null,
      2,
    ),
  );
} else {
  const dollars = (usd: number) => `$${usd.toFixed(2)}`;
  console.log(`\nWhat an order costs on AWS: ${orders} orders through the whole saga to CONFIRMED, with what they set off`);
  console.log(`(${prices.region} list prices as of ${prices.asOf}, tools/bench/src/cost/prices.json; on-demand, no free tier)\n`);
  console.log(`${'line'.padEnd(52)} ${'per order'.padEnd(30)} ${'$ per million orders'.padStart(20)}`);
  for (const { line, perOrder, usdPerMillionOrders } of priced.lines)
    console.log(`${line.padEnd(52)} ${perOrder.padEnd(30)} ${dollars(usdPerMillionOrders).padStart(20)}`);
  console.log(`${'total'.padEnd(52)} ${''.padEnd(30)} ${dollars(priced.usdPerMillionOrders).padStart(20)}`);
  console.log(`\nthat is ${dollars((priced.usdPerMillionOrders / MILLION) * 1000)} per thousand orders`);
  const scheduled = Object.entries(usage.scheduledInvocations);
  if (scheduled.length) console.log(`left out, run by the clock meanwhile: ${scheduled.map(([f, n]) => `${f} ×${n}`).join(', ')}`);
  console.log(`left out, SQS receives that found nothing (Lambda's pollers, a fixed cost): ${usage.sqs.emptyReceives}`);
  for (const [name, f] of unreported)
    console.log(`${name}: ${f.invocations - f.reportedInvocations} of ${f.invocations} invocations failed and reported no duration`);
  console.log(`not counted:\n${NOT_COUNTED.map((line) => `  - ${line}`).join('\n')}`);
}
