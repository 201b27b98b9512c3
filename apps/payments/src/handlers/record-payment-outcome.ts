import { RecordOutcomeInput } from '@storefront/contracts';
import { countMetric, logger, workflowTaskHandler } from '@storefront/lambda-runtime';
import { createPaymentsService, paymentProviderFromEnvironment } from '../adapters/wiring';

const payments = createPaymentsService({ provider: paymentProviderFromEnvironment });

/**
 * The workflow's RecordPaymentOutcome task. Input: RecordOutcomeInput
 * `{orderId, correlationId, charge}` (the charge's result, or the reconciled
 * one from the Catch path). Output: RecordedPayment
 * `{orderId, status, failureReason?}`. Writes CAPTURED, FAILED or (money taken
 * for an order cancelled meanwhile) REFUNDED with its event, once.
 */
export const handler = workflowTaskHandler(RecordOutcomeInput, async (input) => {
  const { payment, event } = await payments.recordOutcome(input);
  if (event) countMetric(event);
  logger.info(event ? 'payment settled' : 'payment was settled before', { orderId: input.orderId, status: payment.status, event });
  return payment;
});
