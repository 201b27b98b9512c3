import type { PaymentEventType } from '@storefront/contracts';

/** Refunds, counted against the sales of their day. The handler's schema and its subscription's filter are both built from this list. */
export const consumes = ['PaymentRefunded'] as const satisfies readonly PaymentEventType[];
