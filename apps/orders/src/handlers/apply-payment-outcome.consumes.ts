import type { PaymentEventType } from '@storefront/contracts';

/**
 * How a reserved order's payment ended. Not PaymentRefunded: a refund changes no order. The handler's schema and
 * its subscription's filter are both built from this list.
 */
export const consumes = ['PaymentCaptured', 'PaymentFailed'] as const satisfies readonly PaymentEventType[];
