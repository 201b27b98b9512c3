import { eventsOf } from '@storefront/contracts';
import { countMetric, logger, sqsEventHandler } from '@storefront/lambda-runtime';
import { checkoutWorkflowFromEnvironment, createPaymentsService, paymentProviderFromEnvironment } from '../adapters/wiring';
import { consumes } from './start-or-cancel-checkout.consumes';

const payments = createPaymentsService({ provider: paymentProviderFromEnvironment, workflow: checkoutWorkflowFromEnvironment });

/** Outcomes worth a CloudWatch count; duplicates and no-ops are not. */
const METRIC_BY_OUTCOME = { started: 'CheckoutStarted', refunded: 'PaymentRefunded' } as const;

/**
 * OrderReserved records the payment PENDING and starts the order's checkout
 * execution (once: a redelivery starts nothing new). OrderCancelled and
 * OrderRejected stop a payment in flight, refund a captured one, or leave a
 * marker so a later OrderReserved starts nothing.
 */
export const handler = sqsEventHandler(eventsOf(consumes), async (event) => {
  const outcome = event.type === 'OrderReserved' ? await payments.onOrderReserved(event) : await payments.onOrderWithdrawn(event);
  const metric = METRIC_BY_OUTCOME[outcome as keyof typeof METRIC_BY_OUTCOME];
  if (metric) countMetric(metric);
  logger.info('order event handled', { eventType: event.type, eventId: event.id, orderId: event.data.orderId, outcome });
});
