import { eventsOf } from '@storefront/contracts';
import { countMetric, logger, sqsEventHandler } from '@storefront/lambda-runtime';
import { createOrdersService } from '../adapters/wiring';
import { MOVED_TO_METRIC } from '../domain/orders-service';
import { consumes } from './apply-payment-outcome.consumes';

const orders = createOrdersService();

/**
 * Ends a reserved order with its payment: PaymentCaptured → CONFIRMED (with
 * OrderConfirmed in the outbox), PaymentFailed → PAYMENT_FAILED (with the reason). An outcome for an order
 * that is no longer RESERVED (cancelled, or rejected by the watchdog) changes
 * nothing: payments refunds what it took for such an order.
 */
export const handler = sqsEventHandler(eventsOf(consumes), async (event) => {
  const { outcome, movedTo } = await orders.applyPaymentOutcome(event);
  const metric = movedTo && MOVED_TO_METRIC[movedTo];
  if (metric) countMetric(metric);
  logger[outcome === 'stale' ? 'warn' : 'info']('payment outcome handled', {
    eventType: event.type,
    eventId: event.id,
    orderId: event.data.orderId,
    outcome,
  });
});
