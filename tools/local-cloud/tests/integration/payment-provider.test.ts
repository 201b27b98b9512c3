import { freePort } from '@storefront/testing';
import type { Fault } from '../../src/emulators/payment-provider/payment-faults.ts';
import { LOCAL_PAYMENT_PROVIDER_KEY } from '../../src/emulators/payment-provider/payment-ledger.ts';
import { type LocalPaymentProvider, startPaymentProvider } from '../../src/emulators/payment-provider/payment-provider.ts';
import { checkoutForm } from '../support/checkout-form.ts';

// A caller's timeout, and a hang past it: what the payments service meets when the provider stops answering. The
// timeout leaves room for a first call on a machine busy with the rest of `npm test` (300 ms was once too short).
const CALLER_TIMEOUT_MS = 1500;
const HANG_MS = 5000;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are read as Stripe documents them
type Json = any;

let provider: LocalPaymentProvider;

beforeAll(async () => {
  provider = await startPaymentProvider({ port: await freePort(), hangMs: HANG_MS });
});

afterAll(() => provider?.close());

beforeEach(() => provider.faults.configure({ rate: 0 }));

/** Sets every call to fail, from a seed whose first calls meet these fates in this order. */
function failNext(...fates: Fault[]) {
  const seed = [...Array(1000).keys()].find((candidate) => {
    provider.faults.configure({ rate: 1, seed: candidate });
    return fates.every((fate) => provider.faults.next() === fate);
  });
  provider.faults.configure({ rate: 1, seed });
}

interface Call {
  path?: string;
  method?: string;
  form?: Record<string, string>;
  /** null: no Authorization header at all. */
  key?: string | null;
  idempotencyKey?: string;
  headers?: Record<string, string>;
  body?: string;
}

/** A call as the payments service makes it: form-encoded, Bearer key, its idempotency key, its own timeout. */
async function call({
  path = '/v1/payment_intents',
  method = 'POST',
  form,
  key = LOCAL_PAYMENT_PROVIDER_KEY,
  idempotencyKey,
  headers = {},
  body,
}: Call) {
  const response = await fetch(`${provider.url}${path}`, {
    method,
    headers: {
      ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
      ...headers,
    },
    body: body ?? (form ? new URLSearchParams(form).toString() : undefined),
    signal: AbortSignal.timeout(CALLER_TIMEOUT_MS),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Json };
}

const ledger = async () => (await call({ path: '/_local/ledger', method: 'GET', key: null })).body;

describe('the local payment provider over HTTP', () => {
  it('charges a form-encoded PaymentIntent with the local key', async () => {
    const { status, body } = await call({ form: checkoutForm('http-1'), idempotencyKey: 'checkout-http-1' });

    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'succeeded', amount_received: 1999, metadata: { orderId: 'http-1' } });
  });

  it('answers a retry with the same Idempotency-Key with the first answer, marked as replayed', async () => {
    const first = await call({ form: checkoutForm('http-2'), idempotencyKey: 'checkout-http-2' });
    const retry = await call({ form: checkoutForm('http-2'), idempotencyKey: 'checkout-http-2' });

    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect((await ledger()).orders['http-2'].paymentIntents).toHaveLength(1);
  });

  it('refuses the same Idempotency-Key with other parameters', async () => {
    await call({ form: checkoutForm('http-3'), idempotencyKey: 'checkout-http-3' });

    const other = await call({ form: { ...checkoutForm('http-3'), amount: '1' }, idempotencyKey: 'checkout-http-3' });

    expect(other.status).toBe(400);
    expect(other.body.error.type).toBe('idempotency_error');
  });

  it('declines a declining test card with a 402', async () => {
    const { status, body } = await call({ form: checkoutForm('http-4', 'pm_card_chargeDeclinedInsufficientFunds') });

    expect(status).toBe(402);
    expect(body.error).toMatchObject({ type: 'card_error', decline_code: 'insufficient_funds' });
  });

  it('refuses a wrong key and a missing key with a 401, showing only the ends of the wrong key', async () => {
    const wrong = await call({ form: checkoutForm('http-5'), key: 'sk_test_somebody_elses_key_1234' });
    const none = await call({ form: checkoutForm('http-5'), key: null });

    expect(wrong.status).toBe(401);
    expect(wrong.body.error.message).toMatch(/^Invalid API Key provided: sk_test_\*+1234$/);
    expect(none.status).toBe(401);
    expect((await ledger()).orders['http-5']).toBeUndefined();
  });

  it('refuses a JSON body: Stripe takes forms only', async () => {
    const { status, body } = await call({ body: JSON.stringify(checkoutForm('http-6')), headers: { 'content-type': 'application/json' } });

    expect(status).toBe(400);
    expect(body.error.type).toBe('invalid_request_error');
  });

  it('refunds a capture once under its idempotency key and reads the PaymentIntent back', async () => {
    const intent = (await call({ form: checkoutForm('http-7') })).body.id;
    const refund = () => call({ path: '/v1/refunds', form: { payment_intent: intent }, idempotencyKey: 'refund-http-7' });

    const first = await refund();
    const retry = await refund();
    const read = await call({ path: `/v1/payment_intents/${intent}`, method: 'GET' });

    expect(first.body).toMatchObject({ object: 'refund', status: 'succeeded', amount: 1999 });
    expect(retry.body).toEqual(first.body);
    expect(read.body).toMatchObject({ id: intent, status: 'succeeded' });
    expect((await ledger()).orders['http-7']).toMatchObject({ captured: 1999, refunded: 1999 });
  });
});

/** What the payments service creates an order's intent with: no payment method, no confirm. */
const intentForm = (orderId: string) => {
  const { payment_method: _method, confirm: _confirm, ...form } = checkoutForm(orderId);
  return form;
};
const createIntent = async (orderId: string) =>
  (await call({ form: intentForm(orderId), idempotencyKey: `checkout-${orderId}` })).body.id as string;
const confirm = (intent: string, orderId: string, paymentMethod = 'pm_card_visa') =>
  call({ path: `/v1/payment_intents/${intent}/confirm`, form: { payment_method: paymentMethod }, idempotencyKey: `confirm-${orderId}` });
const cancel = (intent: string, orderId: string) =>
  call({ path: `/v1/payment_intents/${intent}/cancel`, form: {}, idempotencyKey: `cancel-${orderId}` });
const read = (intent: string) => call({ path: `/v1/payment_intents/${intent}`, method: 'GET' });

describe('the local payment provider: create, confirm, read and cancel over HTTP', () => {
  it('creates an intent that charges nothing until it is confirmed, and replays the confirm for its key', async () => {
    const intent = await createIntent('two-1');
    const before = (await ledger()).orders['two-1'];

    const confirmed = await confirm(intent, 'two-1');
    const retried = await confirm(intent, 'two-1');

    expect(before).toMatchObject({ captured: 0, paymentIntents: [{ id: intent, status: 'requires_payment_method' }] });
    expect(confirmed).toMatchObject({ status: 200, body: { id: intent, status: 'succeeded', amount_received: 1999 } });
    expect(retried.body).toEqual(confirmed.body);
    expect(retried.headers.get('idempotent-replayed')).toBe('true');
    expect((await read(intent)).body).toMatchObject({ status: 'succeeded' });
    expect((await ledger()).orders['two-1']).toMatchObject({ captured: 1999, paymentIntents: [{ id: intent }] });
  });

  it('declines a confirm with a declining card with a 402 card_error naming the intent', async () => {
    const intent = await createIntent('two-2');

    const declined = await confirm(intent, 'two-2', 'pm_card_chargeDeclined');

    expect(declined.status).toBe(402);
    expect(declined.body.error).toMatchObject({ type: 'card_error', decline_code: 'generic_decline', payment_intent: { id: intent } });
  });

  it('cancels an intent that took no money, and then refuses to confirm it', async () => {
    const intent = await createIntent('two-3');

    const cancelled = await cancel(intent, 'two-3');
    const confirmed = await confirm(intent, 'two-3');

    expect(cancelled).toMatchObject({ status: 200, body: { id: intent, status: 'canceled' } });
    expect(confirmed).toMatchObject({ status: 400, body: { error: { code: 'payment_intent_unexpected_state' } } });
    expect((await ledger()).orders['two-3'].captured).toBe(0);
  });

  it('refuses to cancel an intent that succeeded: the money stays taken, for a refund to give back', async () => {
    const intent = await createIntent('two-4');
    await confirm(intent, 'two-4');

    const refused = await cancel(intent, 'two-4');

    expect(refused).toMatchObject({
      status: 400,
      body: { error: { type: 'invalid_request_error', code: 'payment_intent_unexpected_state', payment_intent: { status: 'succeeded' } } },
    });
    expect((await read(intent)).body.status).toBe('succeeded');
  });

  it('answers an unknown intent with 404 and an unserved action with 404', async () => {
    expect((await read('pi_missing')).status).toBe(404);
    expect((await call({ path: '/v1/payment_intents/pi_missing/capture', form: {} })).status).toBe(404);
  });
});

describe('the local payment provider failing on purpose', () => {
  it('counts every call it receives, faulted ones too, so a run can tell how often callers retried', async () => {
    // Prepare
    const before = (await ledger()).calls;
    failNext('unavailable');

    // Act
    await call({ form: checkoutForm('count-1'), idempotencyKey: 'checkout-count-1' });
    await call({ form: checkoutForm('count-1'), idempotencyKey: 'checkout-count-1' });
    await read('pi_missing');

    // Assert
    const after = (await ledger()).calls;
    expect(after.create - (before.create ?? 0)).toBe(2);
    expect(after.retrieve - (before.retrieve ?? 0)).toBe(1);
  });

  it('answers a 500 api_error for an injected outage and charges nothing', async () => {
    failNext('unavailable');

    const outage = await call({ form: checkoutForm('fault-1'), idempotencyKey: 'checkout-fault-1' });

    expect(outage).toMatchObject({ status: 500, body: { error: { type: 'api_error' } } });
    expect((await ledger()).orders['fault-1']).toBeUndefined();
  });

  it('makes a retry after a timeout come out right with the same key: charged once, whether the charge happened or not', async () => {
    failNext('timeout-after-charge', 'timeout-before-charge');

    const chargedThenHung = await call({ form: checkoutForm('fault-2'), idempotencyKey: 'checkout-fault-2' }).catch(
      (error: Error) => error,
    );
    const hungBeforeCharging = await call({ form: checkoutForm('fault-3'), idempotencyKey: 'checkout-fault-3' }).catch(
      (error: Error) => error,
    );
    expect(chargedThenHung).toMatchObject({ name: 'TimeoutError' });
    expect(hungBeforeCharging).toMatchObject({ name: 'TimeoutError' });
    expect((await ledger()).orders['fault-2'].captured).toBe(1999);
    expect((await ledger()).orders['fault-3']).toBeUndefined();

    provider.faults.configure({ rate: 0 });
    const retried = [
      await call({ form: checkoutForm('fault-2'), idempotencyKey: 'checkout-fault-2' }),
      await call({ form: checkoutForm('fault-3'), idempotencyKey: 'checkout-fault-3' }),
    ];

    expect(retried.map((r) => r.body.status)).toEqual(['succeeded', 'succeeded']);
    expect(retried[0]?.headers.get('idempotent-replayed')).toBe('true');
    const { orders, faults } = await ledger();
    expect(orders['fault-2'].paymentIntents).toHaveLength(1);
    expect(orders['fault-3'].paymentIntents).toHaveLength(1);
    expect(faults.injected['timeout-after-charge']).toBeGreaterThan(0);
  });

  it('fails the new calls too: reading and cancelling an intent meet outages like any call', async () => {
    provider.faults.configure({ rate: 0 });
    const intent = await createIntent('fault-4');
    failNext('unavailable', 'unavailable');

    const outages = [await read(intent), await cancel(intent, 'fault-4')];

    expect(outages.map((answer) => answer.status)).toEqual([500, 500]);
    provider.faults.configure({ rate: 0 });
    expect((await read(intent)).body.status).toBe('requires_payment_method');
  });

  it('fails only the calls and kinds asked for: every confirm takes the money and hangs, while reads and cancels answer', async () => {
    const intent = await createIntent('fault-5');
    const limited = await call({
      path: '/_local/faults',
      body: JSON.stringify({ rate: 1, calls: ['confirm'], kinds: ['timeout-after-charge'] }),
      key: null,
    });

    const confirms = [await confirm(intent, 'fault-5').catch((e: Error) => e), await confirm(intent, 'fault-5').catch((e: Error) => e)];
    const refusedCancel = await cancel(intent, 'fault-5');

    expect(limited.body).toEqual({ rate: 1, calls: ['confirm'], kinds: ['timeout-after-charge'] });
    expect(confirms).toEqual([expect.objectContaining({ name: 'TimeoutError' }), expect.objectContaining({ name: 'TimeoutError' })]);
    expect((await read(intent)).body).toMatchObject({ status: 'succeeded' });
    expect(refusedCancel.body.error.code).toBe('payment_intent_unexpected_state');
    const { orders, faults } = await ledger();
    expect(orders['fault-5']).toMatchObject({ captured: 1999, paymentIntents: [{ id: intent }] });
    expect(faults).toMatchObject({ rate: 1, calls: ['confirm'] });
  });

  it('sets the fault rate at POST /_local/faults and refuses one outside 0..1', async () => {
    const set = await call({ path: '/_local/faults', body: JSON.stringify({ rate: 0.3 }), key: null });
    const refused = await call({ path: '/_local/faults', body: JSON.stringify({ rate: 3 }), key: null });

    const unknownCall = await call({ path: '/_local/faults', body: JSON.stringify({ rate: 1, calls: ['charge'] }), key: null });

    expect(set).toMatchObject({ status: 200, body: { rate: 0.3 } });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toContain('between 0 and 1');
    expect(unknownCall.status).toBe(400);
    expect(provider.faults.rate).toBe(0.3);
  });
});
