import { eventsOf } from '@storefront/contracts';
import { countMetric, logger, sqsEventHandler } from '@storefront/lambda-runtime';
import { createOrdersService } from '../adapters/wiring';
import { MOVED_TO_METRIC } from '../domain/orders-service';
import { consumes } from './apply-inventory-outcome.consumes';

const orders = createOrdersService();

/**
 * Moves orders on when inventory has decided: StockReserved → RESERVED with
 * the total and OrderReserved (or REJECTED with CURRENCY_MISMATCH and
 * OrderRejected when a product is priced in another currency), StockRejected
 * → REJECTED (with the reasons). A duplicate or stale answer is acknowledged
 * and changes nothing.
 */
export const handler = sqsEventHandler(eventsOf(consumes), async (event) => {
  const { outcome, movedTo } = await orders.applyInventoryOutcome(event);
  const metric = movedTo && MOVED_TO_METRIC[movedTo];
  if (metric) countMetric(metric);
  logger.info('inventory outcome handled', { eventType: event.type, eventId: event.id, orderId: event.data.orderId, outcome });
});
