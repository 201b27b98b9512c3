import { looseObject, optional, string } from 'zod/mini';
import { parseWith, type Schema } from '@storefront/contracts';
import { ProviderRejectedError, ProviderTimeoutError, ProviderUnavailableError } from '../domain/errors';
import type { IntentStatus, PaymentProvider, ProviderCharge } from '../domain/ports';

/** Reads the provider's API key; `refresh` skips any cached copy (after the provider refused the key). */
export type ApiKeySource = (options?: { refresh?: boolean }) => Promise<string>;

export interface StripeSettings {
  /** https://api.stripe.com, or the local stack's provider. */
  baseUrl: string;
  apiKey: ApiKeySource;
  /** Each call is abandoned after this long (a ProviderTimeoutError). */
  timeoutMs: number;
  /** The global fetch unless a test hands in its own. */
  fetch?: typeof globalThis.fetch;
}

// The parts of Stripe's answers this adapter reads; anything else in them is ignored.
const PaymentIntent = looseObject({ id: string(), status: string() });
const Refund = looseObject({ id: string(), status: optional(string()) });
const ErrorBody = looseObject({
  error: looseObject({
    type: optional(string()),
    code: optional(string()),
    decline_code: optional(string()),
    message: optional(string()),
    payment_intent: optional(looseObject({ id: string() })),
  }),
});

interface Answer {
  status: number;
  body: unknown;
}

/** What a POST sends: its form and the idempotency key of its order and operation. */
interface RequestBody {
  form: URLSearchParams;
  idempotencyKey: string;
}

/**
 * The payment provider as Stripe's REST API (PaymentIntents and Refunds):
 * form-encoded requests, a Bearer key, and one Idempotency-Key per order and
 * operation (`checkout-<orderId>` to create the intent, `confirm-<orderId>`,
 * `cancel-<orderId>`, `refund-<orderId>`), so any number of retries creates,
 * charges, cancels and refunds at most once. Point PAYMENT_PROVIDER_URL and the
 * secret at a Stripe test account, or at the local stack's provider.
 */
export class StripePaymentProvider implements PaymentProvider {
  constructor(private readonly settings: StripeSettings) {}

  /** Creates the order's PaymentIntent without confirming it: no payment method yet, no money moves. */
  async createIntent({ orderId, amount, currency }: Parameters<PaymentProvider['createIntent']>[0]) {
    const form = new URLSearchParams({
      amount: String(amount),
      currency: currency.toLowerCase(),
      'automatic_payment_methods[enabled]': 'true',
      'automatic_payment_methods[allow_redirects]': 'never',
      'metadata[orderId]': orderId,
    });
    const answer = await this.call('POST', '/v1/payment_intents', { form, idempotencyKey: `checkout-${orderId}` });
    if (answer.status !== 200) throw failure(answer);
    return { providerReference: readBody(PaymentIntent, answer).id };
  }

  /**
   * Confirms the PaymentIntent with the payment method: `succeeded` is captured,
   * a 402 card error is declined (with its decline code), any other status (e.g.
   * one that needs a redirect, which this checkout cannot follow) is declined
   * with that status. An intent past confirming (cancelled, or succeeded with its
   * answer forgotten) is a ProviderRejectedError: reconciling reads which it is.
   */
  async confirmIntent({
    orderId,
    providerReference,
    paymentMethod,
  }: Parameters<PaymentProvider['confirmIntent']>[0]): Promise<ProviderCharge> {
    const form = new URLSearchParams({ payment_method: paymentMethod });
    const answer = await this.call('POST', `${intentPath(providerReference)}/confirm`, { form, idempotencyKey: `confirm-${orderId}` });
    if (answer.status === 402) {
      const { error } = readBody(ErrorBody, answer);
      return {
        outcome: 'declined',
        declineCode: error.decline_code ?? error.code,
        providerReference: error.payment_intent?.id ?? providerReference,
      };
    }
    if (answer.status !== 200) throw failure(answer);
    const intent = readBody(PaymentIntent, answer);
    if (intent.status === 'succeeded') return { outcome: 'captured', providerReference: intent.id };
    return { outcome: 'declined', declineCode: intent.status, providerReference: intent.id };
  }

  /** Reads the PaymentIntent: succeeded, canceled, or open (any other status: it could still be confirmed, or is processing). */
  async readIntent({ providerReference }: Parameters<PaymentProvider['readIntent']>[0]): Promise<IntentStatus> {
    const answer = await this.call('GET', intentPath(providerReference));
    if (answer.status !== 200) throw failure(answer);
    const { status } = readBody(PaymentIntent, answer);
    return status === 'succeeded' || status === 'canceled' ? status : 'open';
  }

  /** Cancels the PaymentIntent; Stripe's payment_intent_unexpected_state (it succeeded, or was cancelled) is 'refused'. */
  async cancelIntent({ orderId, providerReference }: Parameters<PaymentProvider['cancelIntent']>[0]) {
    const answer = await this.call('POST', `${intentPath(providerReference)}/cancel`, {
      form: new URLSearchParams(),
      idempotencyKey: `cancel-${orderId}`,
    });
    if (answer.status === 400 && errorOf(answer.body)?.code === UNEXPECTED_STATE) return 'refused' as const;
    if (answer.status !== 200) throw failure(answer);
    const { id, status } = readBody(PaymentIntent, answer);
    if (status !== 'canceled') throw new ProviderUnavailableError(`PaymentIntent ${id} answered its cancel as ${status}`);
    return 'canceled' as const;
  }

  /** Refunds the whole PaymentIntent; a refund Stripe reports pending or succeeded is under way and final. */
  async refund({ orderId, providerReference }: Parameters<PaymentProvider['refund']>[0]) {
    const answer = await this.call('POST', '/v1/refunds', {
      form: new URLSearchParams({ payment_intent: providerReference }),
      idempotencyKey: `refund-${orderId}`,
    });
    if (answer.status !== 200) throw failure(answer);
    const refund = readBody(Refund, answer);
    if (refund.status === 'failed' || refund.status === 'canceled')
      throw new ProviderRejectedError(answer.status, 'refund_failed', `refund ${refund.id} is ${refund.status}`);
    return { refundReference: refund.id };
  }

  /** One call; a refused key is read again from its source (it may have been rotated) and the call made once more. */
  private async call(method: 'GET' | 'POST', path: string, body?: RequestBody): Promise<Answer> {
    const answer = await this.send(method, path, body, await this.settings.apiKey());
    if (answer.status !== 401) return answer;
    return this.send(method, path, body, await this.settings.apiKey({ refresh: true }));
  }

  private async send(method: 'GET' | 'POST', path: string, body: RequestBody | undefined, apiKey: string): Promise<Answer> {
    try {
      const fetch = this.settings.fetch ?? globalThis.fetch;
      const response = await fetch(new URL(path, this.settings.baseUrl), {
        method,
        headers: {
          authorization: `Bearer ${apiKey}`,
          ...(body ? { 'content-type': 'application/x-www-form-urlencoded', 'idempotency-key': body.idempotencyKey } : {}),
        },
        ...(body ? { body: body.form.toString() } : {}),
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
      const text = await response.text();
      return { status: response.status, body: parseJson(text) };
    } catch (error) {
      if ((error as Error).name === 'TimeoutError')
        throw new ProviderTimeoutError(`The payment provider did not answer ${method} ${path} within ${this.settings.timeoutMs} ms`);
      throw new ProviderUnavailableError(`The payment provider could not be reached for ${method} ${path}: ${(error as Error).message}`);
    }
  }
}

/** Stripe's error code for a call the PaymentIntent's status does not allow (confirming or cancelling one that ended). */
const UNEXPECTED_STATE = 'payment_intent_unexpected_state';

const intentPath = (providerReference: string) => `/v1/payment_intents/${encodeURIComponent(providerReference)}`;

/** An answer of the expected status whose body is not what Stripe sends: a proxy or an outage page, worth a retry. */
function readBody<T>(schema: Schema<T>, answer: Answer): T {
  const parsed = parseWith(schema, answer.body);
  if (!parsed.success) throw new ProviderUnavailableError(`The payment provider answered ${answer.status} with an unreadable body`);
  return parsed.data as T;
}

/** 429, 409 (a request with the same key still in flight) and 5xx are worth a retry; any other refusal is final. */
function failure({ status, body }: Answer): Error {
  const error = errorOf(body);
  if (status === 429 || status === 409 || status >= 500)
    return new ProviderUnavailableError(`The payment provider answered ${status}${error?.type ? ` (${error.type})` : ''}`);
  // A refused key's message quotes part of the key: keep it out of errors, logs and the execution history.
  const message = status === 401 ? 'the API key was refused' : (error?.message ?? 'no error message');
  return new ProviderRejectedError(status, error?.type, message);
}

/** Stripe's `error` object of an answer, if it has one. */
function errorOf(body: unknown) {
  const parsed = parseWith(ErrorBody, body);
  return parsed.success ? parsed.data.error : undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
