import type { PlaceOrderRequest } from '@storefront/contracts';

export const aPlaceOrderRequest = (overrides: Partial<PlaceOrderRequest> = {}): PlaceOrderRequest => ({
  customerId: 'customer-1',
  currency: 'EUR',
  lines: [{ sku: 'SKU-1', quantity: 2 }],
  ...overrides,
});

/** Deterministic time and ids for domain tests. */
export function fixedDeps(at = '2026-03-01T10:00:00.000Z', correlationId = 'corr-1') {
  let next = 0;
  return { now: () => new Date(at), newId: () => `id-${++next}`, correlationId };
}
