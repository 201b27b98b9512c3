import type { Notification, OrderEvent } from '@storefront/contracts';

export type { Notification };

/** The order events customers are told about (what notifyCustomers consumes). */
export type CustomerFacingEvent = Extract<OrderEvent, { type: 'OrderPlaced' | 'OrderCancelled' }>;

/**
 * What the customer is told about an order event. The notification id is the
 * event id, so a redelivered event maps to the same notification.
 */
export function notificationFor(event: CustomerFacingEvent): Notification {
  const base = { notificationId: event.id, customerId: event.data.customerId, orderId: event.data.orderId, createdAt: event.occurredAt };
  switch (event.type) {
    case 'OrderPlaced': {
      const units = event.data.lines.reduce((sum, line) => sum + line.quantity, 0);
      return {
        ...base,
        kind: 'ORDER_CONFIRMATION',
        message: `We received your order ${event.data.orderId} for ${units} item${units === 1 ? '' : 's'}.`,
      };
    }
    case 'OrderCancelled':
      return { ...base, kind: 'ORDER_CANCELLATION', message: `Your order ${event.data.orderId} was cancelled.` };
  }
}
