/**
 * The fault run of `npm run bench`: on a stack whose payment provider fails 30% of its calls (half with a 500, half
 * hanging past the caller's timeout, some before the charge and some after it), rounds of 200 orders placed 20 at a
 * time. Each round must see every order end (CONFIRMED, PAYMENT_FAILED, REJECTED or CANCELLED) soon after its last
 * POST, and the checkouts must not multiply charge calls: retries that find a charge already made reconcile it
 * instead of charging again.
 */
import type { ApiCall, TrailEntry } from '#local-cloud';
import { type Budgets, percentile, type RecordFigure } from '../figures.ts';

export const FAULT_RATE = 0.3;
const ORDERS = 200;
const IN_FLIGHT = 20;
const GIVE_UP_MS = 300_000;
const TERMINAL = new Set(['CONFIRMED', 'PAYMENT_FAILED', 'REJECTED', 'CANCELLED']);
/** The calls that can move money: confirming an intent (the checkout creates it unconfirmed first, which charges nothing). */
const CHARGE_CALLS = ['confirm'];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Round {
  settledAfterLastPostMs: number;
  chargeCallsPerCheckout: number;
  checkouts: number;
  statuses: Record<string, number>;
}

async function chargeCalls(paymentProvider: string): Promise<number> {
  const ledger = (await (await fetch(`${paymentProvider}/_local/ledger`)).json()) as { calls: Record<string, number> };
  return CHARGE_CALLS.reduce((sum, call) => sum + (ledger.calls[call] ?? 0), 0);
}

/** Places the round's orders, IN_FLIGHT at a time; answers their ids and when the last POST was answered. */
async function placeOrders(
  api: ApiCall,
  round: number,
  sku: string,
): Promise<{ orderIds: string[]; correlationIds: Map<string, string>; lastPostAt: number }> {
  const orderIds: string[] = [];
  const correlationIds = new Map<string, string>();
  let next = 0;
  const lane = async (lane: number) => {
    const customer = `faults-${round}-${lane}`;
    while (next < ORDERS) {
      next += 1;
      const body = JSON.stringify({ customerId: customer, currency: 'EUR', paymentMethod: 'pm_card_visa', lines: [{ sku, quantity: 1 }] });
      // The order's correlation id names it in the trail, which a round that gives up prints.
      const correlationId = `faults-${round}-${next}`;
      const response = await api('/orders', { method: 'POST', as: { customer }, body, headers: { 'x-correlation-id': correlationId } });
      if (response.status !== 201) throw new Error(`POST /orders answered ${response.status}: ${await response.text()}`);
      const { orderId } = (await response.json()) as { orderId: string };
      orderIds.push(orderId);
      correlationIds.set(orderId, correlationId);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, (_, i) => lane(i)));
  return { orderIds, correlationIds, lastPostAt: performance.now() };
}

const trailOf = async (api: ApiCall, correlationId: string): Promise<TrailEntry[]> =>
  (await api(`/_local/trail?correlationId=${encodeURIComponent(correlationId)}`)).json() as Promise<TrailEntry[]>;

/** Every hop of an order's saga, a line each, for a round that gives up on it. */
async function wholeTrailOf(api: ApiCall, orderId: string, correlationId: string): Promise<string> {
  const entries = await trailOf(api, correlationId);
  const hops = entries.map(
    ({ ms, kind, correlationId: _, at: __, ...rest }) => `  +${String(ms)} ms ${String(kind)} ${JSON.stringify(rest)}`,
  );
  return [`order ${orderId} (${correlationId}), ${entries.length} trail entries:`, ...hops].join('\n');
}

/** Where the slowest order of a round spent its time: each wait of 2 s or more between two hops of its trail. */
async function longWaitsOf(api: ApiCall, correlationId: string): Promise<string> {
  const entries = await trailOf(api, correlationId);
  const waits = entries.flatMap((entry, i) => {
    const gap = i === 0 ? 0 : entry.ms - (entries[i - 1]?.ms ?? entry.ms);
    const waited = typeof entry.waitedMs === 'number' ? `(${(entry.waitedMs / 1000).toFixed(1)} s for a slot)` : undefined;
    const what = [entry.kind, entry.state ?? entry.function ?? entry.eventType, entry.error, waited].filter(Boolean).join(' ');
    return gap >= 2000 ? [`${(gap / 1000).toFixed(1)} s before ${what}`] : [];
  });
  const span = entries.length ? ((entries.at(-1)?.ms ?? 0) - (entries[0]?.ms ?? 0)) / 1000 : 0;
  return `slowest order ${correlationId}: ${span.toFixed(1)} s from first to last hop; ${waits.join(', ') || 'no wait of 2 s or more'}`;
}

/** Reads every order until all have ended; answers each one's final status. */
async function untilEveryOrderEnds(
  api: ApiCall,
  { orderIds, correlationIds, lastPostAt }: { orderIds: string[]; correlationIds: Map<string, string>; lastPostAt: number },
): Promise<{ statuses: string[]; endedAt: number; lastToEnd: string }> {
  const statuses = new Map<string, string>();
  let lastToEnd = '';
  for (;;) {
    for (const orderId of orderIds.filter((id) => !TERMINAL.has(statuses.get(id) ?? ''))) {
      const order = (await (await api(`/orders/${orderId}`, { as: 'admin' })).json()) as { status: string };
      statuses.set(orderId, order.status);
      if (TERMINAL.has(order.status)) lastToEnd = orderId;
    }
    if ([...statuses.values()].every((status) => TERMINAL.has(status)) && statuses.size === orderIds.length)
      return { statuses: [...statuses.values()], endedAt: performance.now(), lastToEnd: correlationIds.get(lastToEnd) ?? '' };
    if (performance.now() - lastPostAt > GIVE_UP_MS) {
      const open = [...statuses].filter(([, status]) => !TERMINAL.has(status));
      for (const [orderId] of open.slice(0, 3)) console.error(await wholeTrailOf(api, orderId, correlationIds.get(orderId) ?? ''));
      throw new Error(`${open.length} order(s) still open ${GIVE_UP_MS / 1000} s after the last POST: ${JSON.stringify(open.slice(0, 5))}`);
    }
    await sleep(250);
  }
}

async function oneRound(api: ApiCall, paymentProvider: string, round: number, sku: string): Promise<Round> {
  const callsBefore = await chargeCalls(paymentProvider);
  const placed = await placeOrders(api, round, sku);
  const { statuses, endedAt, lastToEnd } = await untilEveryOrderEnds(api, placed);
  console.log(await longWaitsOf(api, lastToEnd));
  const { lastPostAt } = placed;
  const counts: Record<string, number> = {};
  for (const status of statuses) counts[status] = (counts[status] ?? 0) + 1;
  // A checkout ran for each order that was reserved and paid for, or whose payment failed.
  const checkouts = (counts.CONFIRMED ?? 0) + (counts.PAYMENT_FAILED ?? 0);
  const calls = (await chargeCalls(paymentProvider)) - callsBefore;
  return {
    settledAfterLastPostMs: endedAt - lastPostAt,
    chargeCallsPerCheckout: checkouts ? calls / checkouts : 0,
    checkouts,
    statuses: counts,
  };
}

/**
 * Rounds (5 unless `--rounds` says otherwise) on a stack started with `--payment-faults 0.3`; every round must
 * pass, so the figures are the worst round's, with each round printed as it ends.
 */
export async function faultRun(
  api: ApiCall,
  { paymentProvider, rounds, record, budgets }: { paymentProvider: string; rounds: number; record: RecordFigure; budgets: Budgets },
): Promise<void> {
  const sku = 'BENCH-FAULTS';
  const product = { name: 'Charged under faults', price: 1250, currency: 'EUR', stock: ORDERS * rounds + 10 };
  const put = await api(`/products/${sku}`, { method: 'PUT', as: 'admin', body: JSON.stringify(product) });
  if (put.status !== 200) throw new Error(`PUT /products/${sku} answered ${put.status}`);
  const results: Round[] = [];
  for (let round = 1; round <= rounds; round++) {
    const result = await oneRound(api, paymentProvider, round, sku);
    results.push(result);
    console.log(
      `faults round ${round}/${rounds}: every order ended ${(result.settledAfterLastPostMs / 1000).toFixed(1)} s after the last POST; ` +
        `${result.chargeCallsPerCheckout.toFixed(2)} charge calls per checkout (${result.checkouts} checkouts); ${JSON.stringify(result.statuses)}`,
    );
  }
  const worst = (pick: (round: Round) => number) => percentile(results.map(pick), 100);
  record(
    `faults ${FAULT_RATE}: orders ended after last POST (worst of ${rounds})`,
    worst((r) => r.settledAfterLastPostMs),
    budgets.faultsSettledAfterLastPostMs,
  );
  record(
    `faults ${FAULT_RATE}: charge calls per checkout (worst of ${rounds})`,
    worst((r) => r.chargeCallsPerCheckout),
    budgets.faultsChargeCallsPerCheckout,
    '×',
  );
}
