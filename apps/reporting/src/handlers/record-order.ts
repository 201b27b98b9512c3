import { OrderPlacedV1 } from '@storefront/contracts';
import { countMetric, logger, sqsEventHandler } from '@storefront/lambda-runtime';
import { createOrderRecordsService } from '../adapters/wiring';

const orderRecords = createOrderRecordsService();

/** Records each placed order once; an unreadable message fails alone and ends in the dead-letter queue. */
export const handler = sqsEventHandler(OrderPlacedV1, async (event) => {
  const recorded = await orderRecords.record(event);
  if (recorded) countMetric('OrderRecorded');
  logger.info(recorded ? 'order recorded' : 'duplicate event ignored', { eventId: event.id, orderId: event.data.orderId });
});
