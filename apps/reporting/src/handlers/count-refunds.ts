import { eventsOf } from '@storefront/contracts';
import { countMetric, logger, sqsEventHandler } from '@storefront/lambda-runtime';
import { createSalesService } from '../adapters/wiring';
import { consumes } from './count-refunds.consumes';

const sales = createSalesService();

/**
 * Counts each refund of a paid order (PaymentRefunded) into the figures of the UTC day it was made. A refund
 * of an order that was never paid (cancelled while being charged) is kept, uncounted, should its sale arrive.
 */
export const handler = sqsEventHandler(eventsOf(consumes), async (event) => {
  const outcome = await sales.countRefund(event);
  if (outcome === 'counted') countMetric('RefundsCounted');
  logger.info('refund handled', { eventId: event.id, orderId: event.data.orderId, occurredAt: event.occurredAt, outcome });
});
