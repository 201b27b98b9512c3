import { HttpRoutes, type HttpRoute } from '@storefront/contracts';
import { eventually, request } from '../http';
import { fillTemplate, percentEncode, routeKey, type World } from './requests';
import { elsewhere } from './kind';
import { sendAll } from './raw-client';
import { existingParams, routeContexts } from './route-context';

const SKUS = ['FUZZ-SEED-1', 'FUZZ-SEED-2'];
const CUSTOMER = 'fuzz-seed-customer';

/**
 * A small, settled system to aim at: two products, two paid orders of one customer (so two
 * notifications), and the nextCursor of a one-item page of every listing.
 */
export async function seedWorld(url: string): Promise<World> {
  const customer = { as: { customer: CUSTOMER } };
  for (const sku of SKUS) {
    const stocked = await request(url, 'PUT', `/products/${sku}`, {
      body: { name: `Seed ${sku}`, price: 1000, currency: 'EUR', stock: 100 },
      as: 'admin',
    });
    if (stocked.status !== 200) throw new Error(`seeding ${sku} answered ${stocked.status}`);
  }
  const orderIds: string[] = [];
  for (const quantity of [1, 2]) {
    const placed = await request(url, 'POST', '/orders', {
      body: { customerId: CUSTOMER, currency: 'EUR', paymentMethod: 'pm_card_visa', lines: [{ sku: SKUS[0], quantity }] },
      ...customer,
    });
    if (placed.status !== 201) throw new Error(`seeding an order answered ${placed.status}`);
    orderIds.push(placed.body.orderId);
  }
  // Settled means paid: both orders CONFIRMED and their units sold, so nothing is still being written when the fuzz starts.
  for (const orderId of orderIds)
    await eventually(
      async () => ((await request(url, 'GET', `/orders/${orderId}`, customer)).body.status === 'CONFIRMED' ? true : undefined),
      {
        timeoutMs: 60_000,
        what: `seeded order ${orderId} to be paid (CONFIRMED)`,
      },
    );
  await eventually(
    async () => {
      const { sold, reserved } = (await request(url, 'GET', `/products/${SKUS[0]}`)).body;
      return sold === 3 && reserved === 0 ? true : undefined;
    },
    { timeoutMs: 60_000, what: `the seeded orders' units to be sold` },
  );
  await eventually(
    async () => {
      const notified = (await request(url, 'GET', `/customers/${CUSTOMER}/notifications`, customer)).body.items.map(
        (n: { orderId: string }) => n.orderId,
      );
      return orderIds.every((orderId) => notified.includes(orderId)) ? true : undefined;
    },
    { timeoutMs: 60_000, what: 'the seeded customer to be notified of both orders' },
  );

  const world: World = { sku: SKUS[0] as string, orderId: orderIds[0] as string, customerId: CUSTOMER, cursors: {} };
  for (const route of Object.values(HttpRoutes as Record<string, HttpRoute>).filter((r) => r.method === 'GET' && r.query)) {
    const path = fillTemplate(
      route.template,
      Object.fromEntries(Object.entries(existingParams(world)).map(([name, value]) => [name, percentEncode(value)])),
    );
    const page = await request(url, 'GET', `${path}?limit=1`, route.access === 'public' ? {} : customer);
    if (typeof page.body?.nextCursor === 'string') world.cursors[routeKey(route)] = page.body.nextCursor;
  }
  return world;
}

/**
 * A few instances of every route's function, brought up with harmless requests (the route's own
 * read, or a write the contract refuses), so the fuzz meets warm functions rather than a burst of
 * cold starts on a loaded machine.
 */
export async function warmUp(url: string, world: World, instances = 4): Promise<void> {
  for (const context of routeContexts(world)) {
    const request = elsewhere(context, context.path());
    const copies = Array.from({ length: instances }, (_, i) => ({
      id: i + 1,
      route: context.key,
      kind: 'warm-up',
      request,
      expect: undefined,
      caller: context.caller,
    }));
    await sendAll(url, copies, instances);
  }
}
