import { eventsOf } from '@storefront/contracts';
import { countMetric, logger, sqsEventHandler } from '@storefront/lambda-runtime';
import { createInventoryService } from '../adapters/wiring';
import { metricOf } from '../domain/inventory-service';
import { consumes } from './reserve-or-release-stock.consumes';

const inventory = createInventoryService();

/**
 * Reserves stock for placed orders and releases it for cancelled ones and for
 * ones orders rejected (after waiting too long, or for a currency mismatch).
 * Each order is decided once (a reservation record keyed by order id), so a
 * redelivered or duplicated message changes nothing.
 */
export const handler = sqsEventHandler(eventsOf(consumes), async (event) => {
  const outcome = event.type === 'OrderPlaced' ? await inventory.onOrderPlaced(event) : await inventory.onOrderWithdrawn(event);
  const metric = metricOf(outcome);
  if (metric) countMetric(metric);
  logger.info('order event handled', { eventType: event.type, eventId: event.id, orderId: event.data.orderId, outcome });
});
