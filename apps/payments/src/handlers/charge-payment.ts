import { CheckoutInput } from '@storefront/contracts';
import { logger, workflowTaskHandler } from '@storefront/lambda-runtime';
import { createPaymentsService } from '../adapters/wiring';

const payments = createPaymentsService();

/**
 * The workflow's ChargePayment task. Input: CheckoutInput `{orderId, correlationId}`.
 * Output: ChargeResult `{outcome: captured, providerReference}`, `{outcome: declined,
 * declineCode?, providerReference?}` or `{outcome: cancelled}`. Throws
 * ProviderUnavailableError / ProviderTimeoutError (the state retries them) and
 * ProviderRejectedError, ProviderNotConfiguredError, PaymentNotPendingError
 * (caught: the payment fails as PROVIDER_UNAVAILABLE).
 */
export const handler = workflowTaskHandler(CheckoutInput, async (input) => {
  const result = await payments.charge(input);
  logger.info('charge ended', { orderId: input.orderId, outcome: result.outcome });
  return result;
});
