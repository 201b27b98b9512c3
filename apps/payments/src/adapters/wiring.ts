import { randomUUID } from 'node:crypto';
import { SFNClient } from '@aws-sdk/client-sfn';
import { createDocumentClient } from '@storefront/dynamodb';
import { requiredEnv } from '@storefront/lambda-runtime';
import type { CheckoutWorkflow, PaymentProvider } from '../domain/ports';
import { PaymentsService } from '../domain/payments-service';
import { DynamoDbPaymentsRepository } from './dynamodb-payments-repository';
import { secretApiKey } from './secret-api-key';
import { StepFunctionsCheckoutWorkflow } from './step-functions-checkout-workflow';
import { StripePaymentProvider } from './stripe-payment-provider';

const DEFAULT_PROVIDER_TIMEOUT_MS = 5000;

/**
 * The payments service as the handlers use it: one client per sandbox. The
 * table is needed by every function and read at cold start; the provider and
 * the workflow are built on first use, so each function is given only the
 * settings of what it uses (serverless.yml): the state machine's ARN only to
 * the consumer that starts it, the provider's settings only to the functions
 * that call it.
 */
export function createPaymentsService(): PaymentsService {
  const repository = new DynamoDbPaymentsRepository(createDocumentClient(), requiredEnv('PAYMENTS_TABLE'));
  const provider = onFirstUse(providerFromEnvironment);
  const workflow = onFirstUse(() => new StepFunctionsCheckoutWorkflow(new SFNClient({}), requiredEnv('CHECKOUT_STATE_MACHINE_ARN')));
  return new PaymentsService({
    repository,
    provider: {
      createIntent: (request) => provider().createIntent(request),
      confirmIntent: (request) => provider().confirmIntent(request),
      readIntent: (request) => provider().readIntent(request),
      cancelIntent: (request) => provider().cancelIntent(request),
      refund: (request) => provider().refund(request),
    } satisfies PaymentProvider,
    workflow: { start: (input) => workflow().start(input) } satisfies CheckoutWorkflow,
    now: () => new Date(),
    newId: randomUUID,
  });
}

function providerFromEnvironment(): StripePaymentProvider {
  const timeout = process.env.PAYMENT_PROVIDER_TIMEOUT_MS;
  const timeoutMs = timeout ? Number(timeout) : DEFAULT_PROVIDER_TIMEOUT_MS;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1)
    throw new Error(`PAYMENT_PROVIDER_TIMEOUT_MS must be a whole number of milliseconds, not "${timeout}"`);
  return new StripePaymentProvider({
    baseUrl: requiredEnv('PAYMENT_PROVIDER_URL'),
    apiKey: secretApiKey(requiredEnv('PAYMENT_PROVIDER_SECRET_ID')),
    timeoutMs,
  });
}

function onFirstUse<T>(create: () => T): () => T {
  let instance: T | undefined;
  return () => (instance ??= create());
}
