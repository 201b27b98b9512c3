import { OrderEvent } from '@storefront/contracts';
import { countMetric, logger, sqsEventHandler } from '@storefront/lambda-runtime';
import { createInventoryService } from '../adapters/wiring';

const inventory = createInventoryService();

/** Decisions worth a CloudWatch count; duplicates and no-ops are not. */
const METRIC_BY_OUTCOME = { reserved: 'StockReserved', rejected: 'StockRejected', released: 'StockReleased' } as const;

/**
 * Reserves stock for placed orders and releases it for cancelled ones and for
 * ones orders rejected after waiting too long. Each order is decided once (a
 * reservation record keyed by order id), so a redelivered or duplicated
 * message changes nothing.
 */
export const handler = sqsEventHandler(OrderEvent, async (event) => {
  const outcome = event.type === 'OrderPlaced' ? await inventory.onOrderPlaced(event) : await inventory.onOrderWithdrawn(event);
  const metric = METRIC_BY_OUTCOME[outcome as keyof typeof METRIC_BY_OUTCOME];
  if (metric) countMetric(metric);
  logger.info('order event handled', { eventType: event.type, eventId: event.id, orderId: event.data.orderId, outcome });
});
