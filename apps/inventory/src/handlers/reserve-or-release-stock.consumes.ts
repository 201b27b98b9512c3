import type { OrderEventType } from '@storefront/contracts';

/**
 * The order events stock is reserved for (placed) or released for (cancelled, or rejected by orders). Not
 * OrderReserved, which payments acts on, nor OrderConfirmed: a paid order's stock is sold on PaymentCaptured.
 * The handler's schema and its subscription's filter are both built from this list.
 */
export const consumes = ['OrderPlaced', 'OrderCancelled', 'OrderRejected'] as const satisfies readonly OrderEventType[];
