import { PaymentEvent } from '@storefront/contracts';
import { countMetric, logger, sqsEventHandler } from '@storefront/lambda-runtime';
import { createInventoryService } from '../adapters/wiring';
import { metricOf } from '../domain/inventory-service';

const inventory = createInventoryService();

/**
 * Ends each order's hold with its payment: PaymentCaptured sells the held
 * units (reserved → sold), PaymentFailed releases them (StockReleased), each
 * once per order. Whichever ends the hold first wins: a capture after a
 * release (or a cancel) and a release after a sale change nothing.
 */
export const handler = sqsEventHandler(PaymentEvent, async (event) => {
  // The subscription asks for captured and failed payments only; a refund holds no stock.
  if (event.type === 'PaymentRefunded') return;
  const outcome = event.type === 'PaymentCaptured' ? await inventory.onPaymentCaptured(event) : await inventory.onOrderWithdrawn(event);
  const metric = metricOf(outcome);
  if (metric) countMetric(metric);
  logger.info('payment event handled', { eventType: event.type, eventId: event.id, orderId: event.data.orderId, outcome });
});
