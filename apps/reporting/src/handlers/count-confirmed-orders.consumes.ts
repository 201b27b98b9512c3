import type { OrderEventType } from '@storefront/contracts';

/** Paid orders, counted into the sales of their day. The handler's schema and its subscription's filter are both built from this list. */
export const consumes = ['OrderConfirmed'] as const satisfies readonly OrderEventType[];
