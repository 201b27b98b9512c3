import { ReconcileInput } from '@storefront/contracts';
import { logger, workflowTaskHandler } from '@storefront/lambda-runtime';
import { createPaymentsService, paymentProviderFromEnvironment } from '../adapters/wiring';

const payments = createPaymentsService({ provider: paymentProviderFromEnvironment });

/**
 * The workflow's ReconcileCharge task, on ChargePayment's Catch path. Input:
 * ReconcileInput `{orderId, correlationId, error}`. Output: ReconcileResult
 * `{outcome: captured, providerReference}` (the money was taken behind a lost
 * answer), `{outcome: cancelled}` or `{outcome: unavailable, error}` (the
 * PaymentIntent, if any, is cancelled). Throws ProviderUnavailableError /
 * ProviderTimeoutError for the state to retry; when those run out, or for any
 * other error, the execution fails and the payment stays PENDING.
 */
export const handler = workflowTaskHandler(ReconcileInput, async (input) => {
  const result = await payments.reconcile(input);
  logger.info('charge reconciled', { orderId: input.orderId, chargeError: input.error, outcome: result.outcome });
  return result;
});
