import type { OrderCancelledV1, OrderPlacedV1, OrderRejectedV1 } from '@storefront/contracts';

let sequence = 0;

export function anOrderPlaced(lines: { sku: string; quantity: number }[], orderId = `order-${++sequence}`): OrderPlacedV1 {
  return {
    id: `placed-${orderId}`,
    type: 'OrderPlaced',
    version: 1,
    occurredAt: '2026-03-01T10:00:00.000Z',
    source: 'storefront.orders',
    correlationId: `corr-${orderId}`,
    data: { orderId, customerId: 'c-1', currency: 'EUR', lines },
  };
}

export function anOrderCancelled(placed: OrderPlacedV1): OrderCancelledV1 {
  return {
    id: `cancelled-${placed.data.orderId}`,
    type: 'OrderCancelled',
    version: 1,
    occurredAt: '2026-03-01T11:00:00.000Z',
    source: 'storefront.orders',
    correlationId: placed.correlationId,
    data: { orderId: placed.data.orderId, customerId: placed.data.customerId, previousStatus: 'RESERVED', lines: placed.data.lines },
  };
}

/** Orders gave up on the order: inventory never answered within the limit. */
export function anOrderRejected(placed: OrderPlacedV1): OrderRejectedV1 {
  return {
    id: `rejected-${placed.data.orderId}`,
    type: 'OrderRejected',
    version: 1,
    occurredAt: '2026-03-01T10:15:01.000Z',
    source: 'storefront.orders',
    correlationId: 'watchdog-run',
    data: { orderId: placed.data.orderId, customerId: placed.data.customerId, previousStatus: 'PENDING', reason: 'RESERVATION_TIMEOUT' },
  };
}

export function ids() {
  let next = 0;
  return { now: () => new Date('2026-03-01T10:00:01.000Z'), newId: () => `evt-${++next}` };
}
