import { InventoryEvent } from '@storefront/contracts';
import { logger, sqsEventHandler } from '@storefront/lambda-runtime';
import { createOrdersService } from '../adapters/wiring';

const orders = createOrdersService();

/**
 * Moves orders on when inventory has decided: StockReserved → RESERVED with
 * the total and OrderReserved (or REJECTED with CURRENCY_MISMATCH and
 * OrderRejected when a product is priced in another currency), StockRejected
 * → REJECTED (with the reasons). A duplicate or stale answer is acknowledged
 * and changes nothing.
 */
export const handler = sqsEventHandler(InventoryEvent, async (event) => {
  if (event.type === 'StockReleased') return;
  const outcome = await orders.applyInventoryOutcome(event);
  logger.info('inventory outcome handled', { eventType: event.type, eventId: event.id, orderId: event.data.orderId, outcome });
});
