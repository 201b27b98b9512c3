/**
 * The timings of `npm run bench` on a running stack, through its gateway: placing an order, an order's way to
 * the customer's notification, and to CONFIRMED through the saga and the checkout workflow.
 */
import type { ApiCall } from '#local-cloud';
import { type Budgets, median, percentile, type RecordFigure } from '../figures.ts';

interface Figures {
  record: RecordFigure;
  budgets: Budgets;
}

/** Places an order of one unit for a customer, with that customer's token: the order's customer is the token's subject. */
const post = (api: ApiCall, customerId: string, sku = 'SKU-1') =>
  api('/orders', {
    method: 'POST',
    as: { customer: customerId },
    body: JSON.stringify({ customerId, currency: 'EUR', paymentMethod: 'pm_card_visa', lines: [{ sku, quantity: 1 }] }),
  });

export async function placeOrderLatency(api: ApiCall, { record, budgets }: Figures): Promise<number> {
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

export async function orderToNotification(api: ApiCall, { record, budgets }: Figures): Promise<void> {
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

/** One order of one unit, from POST /orders until GET /orders/{id} shows it CONFIRMED: its time in ms. */
async function untilConfirmed(api: ApiCall, customer: { customer: string }, sku: string): Promise<number> {
  const started = performance.now();
  const placed = (await (await post(api, customer.customer, sku)).json()) as { orderId: string };
  for (;;) {
    const current = (await (await api(`/orders/${placed.orderId}`, { as: customer })).json()) as { status: string };
    if (current.status === 'CONFIRMED') return performance.now() - started;
    if (current.status !== 'PENDING' && current.status !== 'RESERVED') throw new Error(`order ended ${current.status}`);
    if (performance.now() - started > 30_000) throw new Error('no CONFIRMED within 30 s');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * From POST /orders to the order CONFIRMED: the saga and the checkout workflow, through the gateway, 5 customers at a
 * time, 10 orders each. The first order of each lane is shown apart, with no budget: it meets every function of the saga cold (each
 * serverless-offline worker imports its bundle on its first call, 1-2 s on a loaded 2-core machine, six functions
 * in series), which made the whole tail of the p99 when it was counted with the others.
 */
export async function orderToConfirmed(api: ApiCall, { record, budgets }: Figures): Promise<void> {
  const sku = 'BENCH-PAID';
  const product = { name: 'Paid for', price: 1250, currency: 'EUR', stock: 1000 };
  await api(`/products/${sku}`, { method: 'PUT', as: 'admin', body: JSON.stringify(product) });
  const firstOrders: number[] = [];
  const samples: number[] = [];
  const lane = async (lane: number) => {
    const customer = { customer: `bench-pay-${lane}` };
    await (await api(`/customers/${customer.customer}/orders?limit=1`, { as: customer })).text();
    firstOrders.push(await untilConfirmed(api, customer, sku));
    for (let i = 0; i < 10; i++) samples.push(await untilConfirmed(api, customer, sku));
  };
  await Promise.all([0, 1, 2, 3, 4].map(lane));
  record('order → CONFIRMED, first of each lane (cold), slowest', Math.max(...firstOrders));
  record('order → CONFIRMED p50 (gateway, 5 at a time)', percentile(samples, 50), budgets.orderToConfirmedP50Ms);
  record('order → CONFIRMED p99 (gateway, 5 at a time)', percentile(samples, 99), budgets.orderToConfirmedP99Ms);
}
