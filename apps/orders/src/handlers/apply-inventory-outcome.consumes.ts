import type { InventoryEventType } from '@storefront/contracts';

/**
 * Inventory's answers to a placed order. Not StockReleased, which changes no order. The handler's schema and its
 * subscription's filter are both built from this list.
 */
export const consumes = ['StockReserved', 'StockRejected'] as const satisfies readonly InventoryEventType[];
