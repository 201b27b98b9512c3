import { ProviderRejectedError, ProviderTimeoutError, ProviderUnavailableError } from '../../src/domain/errors';
import { StripePaymentProvider } from '../../src/adapters/stripe-payment-provider';
import {
  apiError,
  canceledPaymentIntent,
  cancelOfSucceeded,
  confirmOfCanceled,
  createdPaymentIntent,
  expiredCard,
  genericDecline,
  idempotencyMismatch,
  invalidApiKey,
  noSuchPaymentIntent,
  processingPaymentIntent,
  rateLimited,
  requiresActionPaymentIntent,
  succeededPaymentIntent,
  succeededRefund,
} from '../support/stripe-responses';

const API_KEY = 'sk_test_unit_key_0123456789';
const ROTATED_KEY = 'sk_test_unit_key_rotated';

interface SentRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  /** The form a POST sent; a GET sends none. */
  form?: Record<string, string>;
}

/** A fetch that records each request and answers the next of `answers` (a status and JSON, raw text, or a thrown error). */
function fakeFetch(...answers: ({ status: number; json?: unknown; text?: string } | Error | 'hang')[]) {
  const sent: SentRequest[] = [];
  const fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    sent.push({
      url: String(input),
      method: init?.method ?? 'GET',
      headers: init?.headers as Record<string, string>,
      form: init?.body === undefined ? undefined : Object.fromEntries(new URLSearchParams(String(init.body))),
    });
    const answer = answers.shift();
    if (!answer) throw new Error('no answer left');
    if (answer === 'hang')
      return new Promise((_, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason), { once: true }));
    if (answer instanceof Error) throw answer;
    return new Response(answer.text ?? JSON.stringify(answer.json), { status: answer.status });
  };
  return { fetch: fetch as typeof globalThis.fetch, sent };
}

function provider(fetch: typeof globalThis.fetch, options: { timeoutMs?: number } = {}) {
  const keyReads: boolean[] = [];
  const apiKey = async ({ refresh = false } = {}) => {
    keyReads.push(refresh);
    return refresh ? ROTATED_KEY : API_KEY;
  };
  return {
    stripe: new StripePaymentProvider({ baseUrl: 'https://api.stripe.test', apiKey, timeoutMs: options.timeoutMs ?? 5000, fetch }),
    keyReads,
  };
}

const order = { orderId: 'o-1', amount: 2500, currency: 'EUR' };
const intent = { orderId: 'o-1', providerReference: 'pi_3QxTestSucceeded' };
const confirmation = { ...intent, paymentMethod: 'pm_card_visa' };
const headers = (idempotencyKey: string) => ({
  authorization: `Bearer ${API_KEY}`,
  'content-type': 'application/x-www-form-urlencoded',
  'idempotency-key': idempotencyKey,
});

describe('creating the PaymentIntent', () => {
  it('creates it unconfirmed and without a payment method, form-encoded, with the key and the idempotency key of the order', async () => {
    const { fetch, sent } = fakeFetch({ status: 200, json: createdPaymentIntent });

    const created = await provider(fetch).stripe.createIntent(order);

    expect(created).toEqual({ providerReference: 'pi_3QxTestSucceeded' });
    expect(sent).toEqual([
      {
        url: 'https://api.stripe.test/v1/payment_intents',
        method: 'POST',
        headers: headers('checkout-o-1'),
        form: {
          amount: '2500',
          currency: 'eur',
          'automatic_payment_methods[enabled]': 'true',
          'automatic_payment_methods[allow_redirects]': 'never',
          'metadata[orderId]': 'o-1',
        },
      },
    ]);
  });

  it('rejects parameters Stripe will not take, for good', async () => {
    const { fetch } = fakeFetch({ status: 400, json: idempotencyMismatch });

    await expect(provider(fetch).stripe.createIntent(order)).rejects.toMatchObject({ name: 'ProviderRejectedError', status: 400 });
  });
});

describe('confirming the PaymentIntent: the charge', () => {
  it('confirms the intent by its id with the payment method and the confirm idempotency key of the order', async () => {
    const { fetch, sent } = fakeFetch({ status: 200, json: succeededPaymentIntent });

    await provider(fetch).stripe.confirmIntent(confirmation);

    expect(sent).toEqual([
      {
        url: 'https://api.stripe.test/v1/payment_intents/pi_3QxTestSucceeded/confirm',
        method: 'POST',
        headers: headers('confirm-o-1'),
        form: { payment_method: 'pm_card_visa' },
      },
    ]);
  });

  it('captures a PaymentIntent that succeeded, with its id as the reference', async () => {
    const { fetch } = fakeFetch({ status: 200, json: succeededPaymentIntent });

    expect(await provider(fetch).stripe.confirmIntent(confirmation)).toEqual({
      outcome: 'captured',
      providerReference: 'pi_3QxTestSucceeded',
    });
  });

  it('declines on a card error with its decline code, or its code when it gives none', async () => {
    const { fetch } = fakeFetch({ status: 402, json: genericDecline }, { status: 402, json: expiredCard });
    const { stripe } = provider(fetch);

    const results = [await stripe.confirmIntent(confirmation), await stripe.confirmIntent(confirmation)];

    expect(results).toEqual([
      { outcome: 'declined', declineCode: 'generic_decline', providerReference: 'pi_3QxTestDeclined' },
      { outcome: 'declined', declineCode: 'expired_card', providerReference: 'pi_3QxTestExpired' },
    ]);
  });

  it('declines a PaymentIntent that would need the customer (a redirect), naming its status', async () => {
    const { fetch } = fakeFetch({ status: 200, json: requiresActionPaymentIntent });

    expect(await provider(fetch).stripe.confirmIntent(confirmation)).toEqual({
      outcome: 'declined',
      declineCode: 'requires_action',
      providerReference: 'pi_3QxTestAction',
    });
  });

  it('refuses, for good, to confirm an intent that was cancelled, so reconciling reads how it stands', async () => {
    const { fetch } = fakeFetch({ status: 400, json: confirmOfCanceled });

    const refusal = await provider(fetch)
      .stripe.confirmIntent(confirmation)
      .catch((error: Error) => error);

    expect(refusal).toBeInstanceOf(ProviderRejectedError);
    expect(refusal).toMatchObject({ name: 'ProviderRejectedError', status: 400, type: 'invalid_request_error' });
  });

  it.each([
    ['a server error', { status: 500, json: apiError }],
    ['an outage page', { status: 503, text: '<html>Service Unavailable</html>' }],
    ['rate limiting', { status: 429, json: rateLimited }],
    ['a request with the same key still in flight', { status: 409, json: { error: { type: 'idempotency_error' } } }],
    ['a success no one can read', { status: 200, text: '<html>proxy</html>' }],
  ])('calls %s unavailable, worth a retry', async (_, answer) => {
    const { fetch } = fakeFetch(answer);

    await expect(provider(fetch).stripe.confirmIntent(confirmation)).rejects.toBeInstanceOf(ProviderUnavailableError);
  });

  it('calls a connection that fails unavailable', async () => {
    const { fetch } = fakeFetch(new TypeError('fetch failed'));

    await expect(provider(fetch).stripe.confirmIntent(confirmation)).rejects.toThrow(ProviderUnavailableError);
  });

  it('gives up on an answer that takes longer than the timeout, as a timeout', async () => {
    const { fetch } = fakeFetch('hang');

    const failure = await provider(fetch, { timeoutMs: 20 })
      .stripe.confirmIntent(confirmation)
      .catch((error: Error) => error);

    expect(failure).toBeInstanceOf(ProviderTimeoutError);
    expect(failure).toMatchObject({ name: 'ProviderTimeoutError' });
  });
});

describe('reading and cancelling the PaymentIntent, to reconcile', () => {
  it('reads the intent by its id with a GET that sends no body and no idempotency key', async () => {
    const { fetch, sent } = fakeFetch({ status: 200, json: succeededPaymentIntent });

    const status = await provider(fetch).stripe.readIntent(intent);

    expect(status).toBe('succeeded');
    expect(sent).toEqual([
      {
        url: 'https://api.stripe.test/v1/payment_intents/pi_3QxTestSucceeded',
        method: 'GET',
        headers: { authorization: `Bearer ${API_KEY}` },
      },
    ]);
  });

  it('reads succeeded and canceled as they are, and every other status as still open', async () => {
    const { fetch } = fakeFetch(
      { status: 200, json: succeededPaymentIntent },
      { status: 200, json: canceledPaymentIntent },
      { status: 200, json: createdPaymentIntent },
      { status: 200, json: processingPaymentIntent },
      { status: 200, json: requiresActionPaymentIntent },
    );
    const { stripe } = provider(fetch);

    const statuses = [];
    for (let read = 1; read <= 5; read++) statuses.push(await stripe.readIntent(intent));

    expect(statuses).toEqual(['succeeded', 'canceled', 'open', 'open', 'open']);
  });

  it('takes an unknown intent as a refusal and an outage as worth a retry', async () => {
    const { fetch } = fakeFetch({ status: 404, json: noSuchPaymentIntent }, { status: 503, json: apiError });
    const { stripe } = provider(fetch);

    await expect(stripe.readIntent(intent)).rejects.toBeInstanceOf(ProviderRejectedError);
    await expect(stripe.readIntent(intent)).rejects.toBeInstanceOf(ProviderUnavailableError);
  });

  it('cancels the intent by its id with the cancel idempotency key of the order', async () => {
    const { fetch, sent } = fakeFetch({ status: 200, json: canceledPaymentIntent });

    const cancelled = await provider(fetch).stripe.cancelIntent(intent);

    expect(cancelled).toBe('canceled');
    expect(sent).toEqual([
      {
        url: 'https://api.stripe.test/v1/payment_intents/pi_3QxTestSucceeded/cancel',
        method: 'POST',
        headers: headers('cancel-o-1'),
        form: {},
      },
    ]);
  });

  it("answers 'refused' when Stripe will not cancel an intent that succeeded, and throws for any other refusal", async () => {
    const { fetch } = fakeFetch(
      { status: 400, json: cancelOfSucceeded },
      { status: 400, json: idempotencyMismatch },
      { status: 502, json: apiError },
    );
    const { stripe } = provider(fetch);

    expect(await stripe.cancelIntent(intent)).toBe('refused');
    await expect(stripe.cancelIntent(intent)).rejects.toBeInstanceOf(ProviderRejectedError);
    await expect(stripe.cancelIntent(intent)).rejects.toBeInstanceOf(ProviderUnavailableError);
  });
});

describe('the API key', () => {
  it('is read again when Stripe refuses it, and the call made once more with the fresh one', async () => {
    const { fetch, sent } = fakeFetch({ status: 401, json: invalidApiKey }, { status: 200, json: succeededPaymentIntent });
    const { stripe, keyReads } = provider(fetch);

    const result = await stripe.confirmIntent(confirmation);

    expect(result.outcome).toBe('captured');
    expect(keyReads).toEqual([false, true]);
    expect(sent.map((request) => request.headers.authorization)).toEqual([`Bearer ${API_KEY}`, `Bearer ${ROTATED_KEY}`]);
  });

  it('rejects, for good, a key Stripe keeps refusing and parameters it will not take, never quoting the key', async () => {
    const { fetch } = fakeFetch(
      { status: 401, json: invalidApiKey },
      { status: 401, json: invalidApiKey },
      { status: 400, json: idempotencyMismatch },
    );
    const { stripe } = provider(fetch);

    const refusal = () =>
      stripe.createIntent(order).then(
        () => new Error('created'),
        (error: Error) => error,
      );
    const failures = [await refusal(), await refusal()];

    expect(failures).toEqual([expect.any(ProviderRejectedError), expect.any(ProviderRejectedError)]);
    expect(failures.map((f) => (f as ProviderRejectedError).type)).toEqual(['invalid_request_error', 'idempotency_error']);
    for (const failure of failures) expect(JSON.stringify({ ...failure, message: failure.message })).not.toMatch(/sk_test_/);
  });
});

describe('refunding through Stripe Refunds', () => {
  it('refunds the PaymentIntent with one idempotency key per order and answers the refund id', async () => {
    const { fetch, sent } = fakeFetch({ status: 200, json: succeededRefund });

    const refund = await provider(fetch).stripe.refund(intent);

    expect(refund).toEqual({ refundReference: 're_3QxTestRefund' });
    expect(sent).toEqual([
      {
        url: 'https://api.stripe.test/v1/refunds',
        method: 'POST',
        headers: headers('refund-o-1'),
        form: { payment_intent: 'pi_3QxTestSucceeded' },
      },
    ]);
  });

  it('treats a refund that failed as refused, and a server error as worth a retry', async () => {
    const { fetch } = fakeFetch({ status: 200, json: { ...succeededRefund, status: 'failed' } }, { status: 502, json: apiError });
    const { stripe } = provider(fetch);

    await expect(stripe.refund(intent)).rejects.toBeInstanceOf(ProviderRejectedError);
    await expect(stripe.refund(intent)).rejects.toBeInstanceOf(ProviderUnavailableError);
  });
});
