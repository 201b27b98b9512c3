import { eventsOf } from '@storefront/contracts';
import { countMetric, logger, sqsEventHandler } from '@storefront/lambda-runtime';
import { createSalesService } from '../adapters/wiring';
import { consumes } from './count-confirmed-orders.consumes';

const sales = createSalesService();

/** Counts each paid order (OrderConfirmed) into the figures of the UTC day it was confirmed, once per order. */
export const handler = sqsEventHandler(eventsOf(consumes), async (event) => {
  const outcome = await sales.countConfirmedOrder(event);
  if (outcome === 'counted') countMetric('PaidOrdersCounted');
  logger.info('paid order handled', { eventId: event.id, orderId: event.data.orderId, occurredAt: event.occurredAt, outcome });
});
