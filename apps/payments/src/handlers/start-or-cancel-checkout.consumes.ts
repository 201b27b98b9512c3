import type { OrderEventType } from '@storefront/contracts';

/**
 * Reserved orders to charge; cancelled and rejected ones to stop, refund or mark. Not OrderPlaced (nothing is
 * charged before stock is held) nor OrderConfirmed (a confirmed order is paid). The handler's schema and its
 * subscription's filter are both built from this list.
 */
export const consumes = ['OrderReserved', 'OrderCancelled', 'OrderRejected'] as const satisfies readonly OrderEventType[];
