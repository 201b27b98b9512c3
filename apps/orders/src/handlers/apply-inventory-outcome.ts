import { InventoryEvent, parseWith } from '@storefront/contracts';
import { logger, sqsBatchHandler } from '@storefront/lambda-runtime';
import { createOrdersService } from '../adapters/wiring';

const orders = createOrdersService();

/**
 * Moves orders on when inventory has decided: StockReserved → RESERVED,
 * StockRejected → REJECTED (with the reasons). A duplicate or stale answer is
 * acknowledged and changes nothing; an unreadable message ends in the dead-letter queue.
 */
export const handler = sqsBatchHandler(async (record) => {
  const parsed = parseWith(InventoryEvent, JSON.parse(record.body));
  if (!parsed.success) throw new Error(`Message ${record.messageId} is not an inventory event: ${JSON.stringify(parsed.issues)}`);
  const event = parsed.data;
  logger.setCorrelationId(event.correlationId);
  if (event.type === 'StockReleased') return;
  const outcome = await orders.applyInventoryOutcome(event);
  logger.info('inventory outcome handled', { eventType: event.type, eventId: event.id, orderId: event.data.orderId, outcome });
});
