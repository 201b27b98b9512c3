import type { OrderEventType } from '@storefront/contracts';

/**
 * The order events customers are told about. The handler's schema and its subscription's filter are both built
 * from this list; the notifications say what each one tells (domain/notification.ts).
 */
export const consumes = ['OrderPlaced', 'OrderCancelled'] as const satisfies readonly OrderEventType[];
