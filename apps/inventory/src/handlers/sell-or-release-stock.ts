import { type Consumed, eventsOf } from '@storefront/contracts';
import { countMetric, logger, sqsEventHandler } from '@storefront/lambda-runtime';
import { createInventoryService } from '../adapters/wiring';
import { metricOf } from '../domain/inventory-service';
import { consumes } from './sell-or-release-stock.consumes';

const inventory = createInventoryService();

/**
 * Ends each order's hold with its payment: PaymentCaptured sells the held
 * units (reserved → sold), PaymentFailed releases them (StockReleased), and
 * PaymentRefunded puts back whatever the order took (sold or still held),
 * each once per order. Whichever ends the hold first wins, except that a
 * refund also undoes a sale: a capture after a release and a release after a
 * sale change nothing, and a refunded order ends with its units in stock.
 */
export const handler = sqsEventHandler(eventsOf(consumes), async (event) => {
  const outcome = await endHold(event);
  const metric = metricOf(outcome);
  if (metric) countMetric(metric);
  logger.info('payment event handled', { eventType: event.type, eventId: event.id, orderId: event.data.orderId, outcome });
});

function endHold(event: Consumed<typeof consumes>) {
  switch (event.type) {
    case 'PaymentCaptured':
      return inventory.onPaymentCaptured(event);
    case 'PaymentRefunded':
      return inventory.onPaymentRefunded(event);
    case 'PaymentFailed':
      return inventory.onOrderWithdrawn(event);
  }
}
