import { PaymentEvent } from '@storefront/contracts';
import { logger, sqsEventHandler } from '@storefront/lambda-runtime';
import { createOrdersService } from '../adapters/wiring';

const orders = createOrdersService();

/**
 * Ends a reserved order with its payment: PaymentCaptured → CONFIRMED (with
 * OrderConfirmed in the outbox), PaymentFailed → PAYMENT_FAILED (with the reason). An outcome for an order
 * that is no longer RESERVED (cancelled, or rejected by the watchdog) changes
 * nothing: payments refunds what it took for such an order.
 */
export const handler = sqsEventHandler(PaymentEvent, async (event) => {
  // The subscription asks for captured and failed payments only; a refund changes no order.
  if (event.type === 'PaymentRefunded') return;
  const outcome = await orders.applyPaymentOutcome(event);
  logger[outcome === 'stale' ? 'warn' : 'info']('payment outcome handled', {
    eventType: event.type,
    eventId: event.id,
    orderId: event.data.orderId,
    outcome,
  });
});
