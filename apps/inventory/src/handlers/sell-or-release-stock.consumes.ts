import type { PaymentEventType } from '@storefront/contracts';

/**
 * Every way an order's payment ends, each of which ends its hold on stock. The handler's schema and its
 * subscription's filter are both built from this list.
 */
export const consumes = ['PaymentCaptured', 'PaymentFailed', 'PaymentRefunded'] as const satisfies readonly PaymentEventType[];
