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

/** What a function reaches beyond its table, each built on first use; a handler names only what its use cases call. */
export interface PaymentsAdapters {
  provider?: () => PaymentProvider;
  workflow?: () => CheckoutWorkflow;
}

/**
 * The payments service as the handlers use it: one client per sandbox. The
 * table is needed by every function and read at cold start; the provider and
 * the workflow are built on first use, and only in the functions that name
 * them, so a bundle carries no client it never calls (GET /payments has neither
 * Step Functions nor Secrets Manager) and each function is given only the
 * settings of what it uses (serverless.yml).
 */
export function createPaymentsService({ provider, workflow }: PaymentsAdapters = {}): PaymentsService {
  const repository = new DynamoDbPaymentsRepository(createDocumentClient(), requiredEnv('PAYMENTS_TABLE'));
  const providerOnce = onFirstUse(provider ?? notWired<PaymentProvider>('the payment provider'));
  const workflowOnce = onFirstUse(workflow ?? notWired<CheckoutWorkflow>('the checkout workflow'));
  return new PaymentsService({
    repository,
    provider: {
      createIntent: (request) => providerOnce().createIntent(request),
      confirmIntent: (request) => providerOnce().confirmIntent(request),
      readIntent: (request) => providerOnce().readIntent(request),
      cancelIntent: (request) => providerOnce().cancelIntent(request),
      refund: (request) => providerOnce().refund(request),
    } satisfies PaymentProvider,
    workflow: { start: (input) => workflowOnce().start(input) } satisfies CheckoutWorkflow,
    now: () => new Date(),
    newId: randomUUID,
  });
}

/** The payment provider (Stripe's API) with its key from Secrets Manager, as the function's environment sets it. */
export function paymentProviderFromEnvironment(): StripePaymentProvider {
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

/** The checkout state machine (Step Functions), as the function's environment names it. */
export function checkoutWorkflowFromEnvironment(): StepFunctionsCheckoutWorkflow {
  return new StepFunctionsCheckoutWorkflow(new SFNClient({}), requiredEnv('CHECKOUT_STATE_MACHINE_ARN'));
}

function notWired<T>(what: string): () => T {
  return () => {
    throw new Error(`This function is not wired to ${what}: pass it to createPaymentsService in its handler`);
  };
}

function onFirstUse<T>(create: () => T): () => T {
  let instance: T | undefined;
  return () => (instance ??= create());
}
