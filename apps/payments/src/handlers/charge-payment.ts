import { CheckoutInput } from '@storefront/contracts';
import { logger, workflowTaskHandler } from '@storefront/lambda-runtime';
import { createPaymentsService, paymentProviderFromEnvironment } from '../adapters/wiring';

const payments = createPaymentsService({ provider: paymentProviderFromEnvironment });

/**
 * The workflow's ChargePayment task. Input: CheckoutInput `{orderId, correlationId}`.
 * Creates the order's PaymentIntent unconfirmed, records it, then confirms it.
 * Output: ChargeResult `{outcome: captured, providerReference}`, `{outcome: declined,
 * declineCode?, providerReference?}` or `{outcome: cancelled}`. Throws
 * ProviderUnavailableError / ProviderTimeoutError (the state retries them) and
 * ProviderRejectedError, ProviderNotConfiguredError, PaymentNotPendingError
 * (caught: ReconcileCharge reads the PaymentIntent before anything is recorded).
 */
export const handler = workflowTaskHandler(CheckoutInput, async (input) => {
  const result = await payments.charge(input);
  logger.info('charge ended', { orderId: input.orderId, outcome: result.outcome });
  return result;
});
