import { ProviderRejectedError, ProviderTimeoutError, ProviderUnavailableError } from '../../src/domain/errors';
import { StripePaymentProvider } from '../../src/adapters/stripe-payment-provider';
import {
  apiError,
  expiredCard,
  genericDecline,
  idempotencyMismatch,
  invalidApiKey,
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
  form: Record<string, string>;
}

/** A fetch that records each request and answers the next of `answers` (a status and JSON, raw text, or a thrown error). */
function fakeFetch(...answers: ({ status: number; json?: unknown; text?: string } | Error | 'hang')[]) {
  const sent: SentRequest[] = [];
  const fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    sent.push({
      url: String(input),
      method: init?.method ?? 'GET',
      headers: init?.headers as Record<string, string>,
      form: Object.fromEntries(new URLSearchParams(String(init?.body))),
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

const order = { orderId: 'o-1', amount: 2500, currency: 'EUR', paymentMethod: 'pm_card_visa' };

describe('charging through Stripe PaymentIntents', () => {
  it('creates and confirms a PaymentIntent, form-encoded, with the key and one idempotency key per order', async () => {
    const { fetch, sent } = fakeFetch({ status: 200, json: succeededPaymentIntent });

    await provider(fetch).stripe.charge(order);

    expect(sent).toEqual([
      {
        url: 'https://api.stripe.test/v1/payment_intents',
        method: 'POST',
        headers: {
          authorization: `Bearer ${API_KEY}`,
          'content-type': 'application/x-www-form-urlencoded',
          'idempotency-key': 'checkout-o-1',
        },
        form: {
          amount: '2500',
          currency: 'eur',
          payment_method: 'pm_card_visa',
          confirm: 'true',
          'automatic_payment_methods[enabled]': 'true',
          'automatic_payment_methods[allow_redirects]': 'never',
          'metadata[orderId]': 'o-1',
        },
      },
    ]);
  });

  it('captures a PaymentIntent that succeeded, with its id as the reference', async () => {
    const { fetch } = fakeFetch({ status: 200, json: succeededPaymentIntent });

    expect(await provider(fetch).stripe.charge(order)).toEqual({ outcome: 'captured', providerReference: 'pi_3QxTestSucceeded' });
  });

  it('declines on a card error with its decline code, or its code when it gives none', async () => {
    const { fetch } = fakeFetch({ status: 402, json: genericDecline }, { status: 402, json: expiredCard });
    const { stripe } = provider(fetch);

    const results = [await stripe.charge(order), await stripe.charge(order)];

    expect(results).toEqual([
      { outcome: 'declined', declineCode: 'generic_decline', providerReference: 'pi_3QxTestDeclined' },
      { outcome: 'declined', declineCode: 'expired_card', providerReference: 'pi_3QxTestExpired' },
    ]);
  });

  it('declines a PaymentIntent that would need the customer (a redirect), naming its status', async () => {
    const { fetch } = fakeFetch({ status: 200, json: requiresActionPaymentIntent });

    expect(await provider(fetch).stripe.charge(order)).toEqual({
      outcome: 'declined',
      declineCode: 'requires_action',
      providerReference: 'pi_3QxTestAction',
    });
  });

  it.each([
    ['a server error', { status: 500, json: apiError }],
    ['an outage page', { status: 503, text: '<html>Service Unavailable</html>' }],
    ['rate limiting', { status: 429, json: rateLimited }],
    ['a request with the same key still in flight', { status: 409, json: { error: { type: 'idempotency_error' } } }],
    ['a success no one can read', { status: 200, text: '<html>proxy</html>' }],
  ])('calls %s unavailable, worth a retry', async (_, answer) => {
    const { fetch } = fakeFetch(answer);

    await expect(provider(fetch).stripe.charge(order)).rejects.toBeInstanceOf(ProviderUnavailableError);
  });

  it('calls a connection that fails unavailable', async () => {
    const { fetch } = fakeFetch(new TypeError('fetch failed'));

    await expect(provider(fetch).stripe.charge(order)).rejects.toThrow(ProviderUnavailableError);
  });

  it('gives up on an answer that takes longer than the timeout, as a timeout', async () => {
    const { fetch } = fakeFetch('hang');

    const failure = await provider(fetch, { timeoutMs: 20 })
      .stripe.charge(order)
      .catch((error: Error) => error);

    expect(failure).toBeInstanceOf(ProviderTimeoutError);
    expect(failure).toMatchObject({ name: 'ProviderTimeoutError' });
  });

  it('reads the key again when Stripe refuses it, and tries once more with the fresh one', async () => {
    const { fetch, sent } = fakeFetch({ status: 401, json: invalidApiKey }, { status: 200, json: succeededPaymentIntent });
    const { stripe, keyReads } = provider(fetch);

    const result = await stripe.charge(order);

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
      stripe.charge(order).then(
        () => new Error('charged'),
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

    const refund = await provider(fetch).stripe.refund({ orderId: 'o-1', providerReference: 'pi_3QxTestSucceeded' });

    expect(refund).toEqual({ refundReference: 're_3QxTestRefund' });
    expect(sent).toMatchObject([
      {
        url: 'https://api.stripe.test/v1/refunds',
        method: 'POST',
        headers: { 'idempotency-key': 'refund-o-1' },
        form: { payment_intent: 'pi_3QxTestSucceeded' },
      },
    ]);
  });

  it('treats a refund that failed as refused, and a server error as worth a retry', async () => {
    const { fetch } = fakeFetch({ status: 200, json: { ...succeededRefund, status: 'failed' } }, { status: 502, json: apiError });
    const { stripe } = provider(fetch);
    const request = { orderId: 'o-1', providerReference: 'pi_3QxTestSucceeded' };

    await expect(stripe.refund(request)).rejects.toBeInstanceOf(ProviderRejectedError);
    await expect(stripe.refund(request)).rejects.toBeInstanceOf(ProviderUnavailableError);
  });
});
