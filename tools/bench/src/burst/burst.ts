/**
 * The burst figure of `npm run bench`: 500 orders fired at once at the local
 * gateway, against a product with stock for only some of them. Every order
 * must be answered 201, and the saga must settle every one (held and paid,
 * CONFIRMED, while stock lasts; REJECTED after; never oversold), in bounded memory.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { ApiCall } from '#local-cloud';
import { type Budgets, percentile, type RecordFigure } from '../figures.ts';

interface Order {
  status: string;
}

const ORDERS = 500;
const STOCK = 300;
const SETTLE_TIMEOUT_MS = 300_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resident memory of a process and all its descendants (worker threads count with their process), in MiB; Linux only. */
export function processTreeRssMiB(rootPid: number): number {
  const children = new Map<number, number[]>();
  const rss = new Map<number, number>();
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
      rss.set(Number(entry), Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${entry}/status`, 'utf8'))?.[1] ?? 0));
    } catch {
      // The process ended while being read.
    }
  }
  let kib = 0;
  const pending = [rootPid];
  while (pending.length) {
    const pid = pending.pop() as number;
    kib += rss.get(pid) ?? 0;
    pending.push(...(children.get(pid) ?? []));
  }
  return kib / 1024;
}

function peakMemory(rootPid: number): () => number {
  let peak = 0;
  const sample = () => (peak = Math.max(peak, processTreeRssMiB(rootPid)));
  sample();
  const timer = setInterval(sample, 250);
  return () => {
    clearInterval(timer);
    sample();
    return peak;
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the answers are read as the API documents them
type Json = any;

async function json(response: Promise<Response>): Promise<{ status: number; body: Json }> {
  const answer = await response;
  return { status: answer.status, body: await answer.json().catch(() => undefined) };
}

/** Every order of a customer, through the paged listing. */
async function ordersOf(api: ApiCall, customer: { customer: string }): Promise<Order[]> {
  const orders: Order[] = [];
  let cursor: string | undefined;
  do {
    const query = `limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page = await json(api(`/customers/${customer.customer}/orders?${query}`, { as: customer }));
    orders.push(...(page.body?.items ?? []));
    cursor = page.body?.nextCursor;
  } while (cursor);
  return orders;
}

async function fireOrders(api: ApiCall, sku: string, customer: { customer: string }): Promise<{ latencies: number[]; errors: number }> {
  const body = JSON.stringify({
    customerId: customer.customer,
    currency: 'EUR',
    paymentMethod: 'pm_card_visa',
    lines: [{ sku, quantity: 1 }],
  });
  const latencies: number[] = [];
  let errors = 0;
  await Promise.all(
    Array.from({ length: ORDERS }, async () => {
      const started = performance.now();
      try {
        const answer = await json(api('/orders', { method: 'POST', as: customer, body }));
        if (answer.status !== 201) errors += 1;
      } catch {
        errors += 1;
      }
      latencies.push(performance.now() - started);
    }),
  );
  return { latencies, errors };
}

async function settle(api: ApiCall, customer: { customer: string }, started: number): Promise<{ orders: Order[]; settledMs: number }> {
  for (;;) {
    const orders = await ordersOf(api, customer);
    const open = orders.filter((o) => o.status === 'PENDING' || o.status === 'RESERVED').length;
    if ((orders.length >= ORDERS && open === 0) || performance.now() - started > SETTLE_TIMEOUT_MS)
      return { orders, settledMs: performance.now() - started };
    await sleep(250);
  }
}

/**
 * How far the settled saga is from what the stock allows: orders not finished (PENDING, RESERVED), and every
 * unit sold, held or rejected wrongly. Every order pays with a card that captures, so each one stock could fill
 * ends CONFIRMED with its unit sold.
 */
function sagaMismatches(orders: Order[], product: { reserved?: number; stock?: number; sold?: number } | undefined): number {
  const count = (status: string) => orders.filter((o) => o.status === status).length;
  const filled = Math.min(ORDERS, STOCK);
  return (
    ORDERS -
    orders.length +
    count('PENDING') +
    count('RESERVED') +
    Math.abs(count('CONFIRMED') - filled) +
    Math.abs(count('REJECTED') - (ORDERS - filled)) +
    (product?.reserved ?? 0) +
    Math.abs((product?.sold ?? 0) - filled) +
    Math.abs((product?.stock ?? 0) - (STOCK - filled))
  );
}

/**
 * Runs the burst against a booted stack and records its figures. Times are
 * compared with placing the same orders one after another (ORDERS × the
 * single-order p50 measured on the same machine, in the same run).
 */
/** Records one figure; a budget it must stay within, and its unit, are optional. */

export interface BurstOptions {
  stackPid: number;
  placeOrderP50Ms: number;
  record: RecordFigure;
  budgets: Budgets;
}

export async function burstOfOrders(api: ApiCall, { stackPid, placeOrderP50Ms, record, budgets }: BurstOptions): Promise<void> {
  const run = Date.now().toString(36);
  const sku = `BENCH-BURST-${run}`;
  const customer = { customer: `bench-burst-${run}` };
  await json(
    api(`/products/${sku}`, {
      method: 'PUT',
      as: 'admin',
      body: JSON.stringify({ name: 'Burst', price: 100, currency: 'EUR', stock: STOCK }),
    }),
  );
  // The customer's token before the clock starts: the burst times orders, not minting.
  await ordersOf(api, customer);
  const memory = peakMemory(stackPid);
  const started = performance.now();
  const { latencies, errors } = await fireOrders(api, sku, customer);
  const answeredMs = performance.now() - started;
  const { orders, settledMs } = await settle(api, customer, started);
  const peakMiB = memory();
  const product = (await json(api(`/products/${sku}`))).body;
  const oneByOneMs = ORDERS * placeOrderP50Ms;

  record(`burst of ${ORDERS}: orders not answered 201`, errors, budgets.burstErrors, '');
  record(`burst: saga mismatches (unfinished, oversold, undersold)`, sagaMismatches(orders, product), budgets.burstSagaMismatches, '');
  record('burst: POST p50', percentile(latencies, 50));
  record('burst: POST p99', percentile(latencies, 99));
  record(`burst: POST p99 ÷ ${ORDERS} orders one by one`, percentile(latencies, 99) / oneByOneMs, budgets.burstP99VsOneByOne, '×');
  record('burst: saga settled (from the first POST)', settledMs);
  record('burst: settled ÷ last answer', settledMs / answeredMs, budgets.burstSettledVsAnswered, '×');
  record('burst: stack peak memory (RSS of its process tree)', peakMiB, budgets.burstPeakMemoryMiB, 'MiB');
}
