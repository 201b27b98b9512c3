import type { Caller } from '@storefront/contracts';
import type { NewOrder } from '../../src/domain/order';

/** An order request with its customer filled in, as the service hands it to the domain. */
export const aPlaceOrderRequest = (overrides: Partial<NewOrder> = {}): NewOrder => ({
  customerId: 'customer-1',
  currency: 'EUR',
  paymentMethod: 'pm_card_visa',
  lines: [{ sku: 'SKU-1', quantity: 2 }],
  ...overrides,
});

/** Deterministic time and ids for domain tests. */
export function fixedDeps(at = '2026-03-01T10:00:00.000Z', correlationId = 'corr-1') {
  let next = 0;
  return { now: () => new Date(at), newId: () => `id-${++next}`, correlationId };
}

/** A pending order as the orders table holds it: the order's fields under its keys. */
export const aStoredOrder = (overrides: Record<string, unknown> = {}) => ({
  PK: 'ORDER#o-1',
  SK: 'ORDER',
  entityType: 'ORDER',
  orderId: 'o-1',
  status: 'PENDING',
  customerId: 'customer-1',
  currency: 'EUR',
  paymentMethod: 'pm_card_visa',
  lines: [{ sku: 'SKU-1', quantity: 2 }],
  createdAt: '2026-03-01T10:00:00.000Z',
  updatedAt: '2026-03-01T10:00:00.000Z',
  ...overrides,
});

/** The signed-in customer `customer-1` (or another), as the handler passes it on. */
export const aCustomer = (id = 'customer-1'): Caller => ({ id, groups: ['customers'], scopes: ['storefront/shop'] });

export const anAdmin = (id = 'admin-1'): Caller => ({ id, groups: ['admins'], scopes: ['storefront/shop', 'storefront/admin'] });
