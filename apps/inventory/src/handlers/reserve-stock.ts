import { OrderEvent, parseWith } from '@storefront/contracts';
import { logger, sqsBatchHandler } from '@storefront/lambda-runtime';
import { createInventoryService } from '../adapters/wiring';

const inventory = createInventoryService();

/**
 * Reserves stock for placed orders and releases it for cancelled ones. Each
 * order is decided once (a reservation record keyed by order id), so a
 * redelivered or duplicated message changes nothing. An unreadable message
 * fails alone and ends in the dead-letter queue.
 */
export const handler = sqsBatchHandler(async (record) => {
  const parsed = parseWith(OrderEvent, JSON.parse(record.body));
  if (!parsed.success) throw new Error(`Message ${record.messageId} is not an order event: ${JSON.stringify(parsed.issues)}`);
  const event = parsed.data;
  logger.setCorrelationId(event.correlationId);
  const outcome = event.type === 'OrderPlaced' ? await inventory.onOrderPlaced(event) : await inventory.onOrderCancelled(event);
  logger.info('order event handled', { eventType: event.type, eventId: event.id, orderId: event.data.orderId, outcome });
});
