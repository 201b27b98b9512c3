import type { OrderLine, OrderPlacedV1 } from '@storefront/contracts';
import { anOrderCancelled, anOrderPlaced, anOrderRejected, aPaymentCaptured, aPaymentFailed, aPaymentRefunded } from '@storefront/testing';

let orders = 0;

/** A placed order for these lines, under an order id of its own unless one is given. */
export const anOrderFor = (lines: OrderLine[], orderId = `order-${++orders}`) => anOrderPlaced({ data: { orderId, lines } });

/** The customer cancelled this reserved order: one event per order, however often it is delivered. */
export const cancellationOf = (placed: OrderPlacedV1) =>
  anOrderCancelled({
    id: `cancelled-${placed.data.orderId}`,
    occurredAt: '2026-03-01T11:00:00.000Z',
    correlationId: placed.correlationId,
    data: { orderId: placed.data.orderId, customerId: placed.data.customerId, previousStatus: 'RESERVED', lines: placed.data.lines },
  });

/** Orders gave up on this order: inventory never answered within the limit. */
export const timeoutRejectionOf = (placed: OrderPlacedV1) =>
  anOrderRejected({
    id: `rejected-${placed.data.orderId}`,
    occurredAt: '2026-03-01T10:15:01.000Z',
    correlationId: 'watchdog-run',
    data: { orderId: placed.data.orderId, customerId: placed.data.customerId },
  });

/** Payments captured this order's payment: one event per order, however often it is delivered. */
export const captureOf = (placed: OrderPlacedV1) =>
  aPaymentCaptured({ id: `captured-${placed.data.orderId}`, correlationId: placed.correlationId, data: { orderId: placed.data.orderId } });

/** The provider declined this order's payment: one event per order, however often it is delivered. */
export const paymentFailureOf = (placed: OrderPlacedV1) =>
  aPaymentFailed({ id: `failed-${placed.data.orderId}`, correlationId: placed.correlationId, data: { orderId: placed.data.orderId } });

/** Payments gave this order's money back (it was cancelled after the capture): one event per order, however often it is delivered. */
export const refundOf = (placed: OrderPlacedV1) =>
  aPaymentRefunded({ id: `refunded-${placed.data.orderId}`, correlationId: placed.correlationId, data: { orderId: placed.data.orderId } });

export function ids() {
  let next = 0;
  return { now: () => new Date('2026-03-01T10:00:01.000Z'), newId: () => `evt-${++next}` };
}
