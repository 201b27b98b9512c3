import { PaymentLedger } from '../src/emulators/payment-provider/payment-ledger.ts';
import { checkoutForm } from './support/checkout-form.ts';

const checkout = (orderId: string, paymentMethod?: string, amount?: number) =>
  new URLSearchParams(checkoutForm(orderId, paymentMethod, amount));

describe('the local payment provider: PaymentIntents', () => {
  it('captures a charge on a succeeding test card', () => {
    const ledger = new PaymentLedger();

    const { status, body } = ledger.createPaymentIntent(checkout('o-1'));

    expect(status).toBe(200);
    expect(body).toMatchObject({ object: 'payment_intent', status: 'succeeded', amount: 1999, amount_received: 1999, currency: 'eur' });
    expect(body.id).toMatch(/^pi_\w{24}$/);
  });

  it.each([
    ['pm_card_chargeDeclined', 'card_declined', 'generic_decline'],
    ['pm_card_chargeDeclinedInsufficientFunds', 'card_declined', 'insufficient_funds'],
    ['pm_card_chargeDeclinedExpiredCard', 'expired_card', 'expired_card'],
  ])('declines %s with a 402 card_error in Stripe’s shape', (paymentMethod, code, declineCode) => {
    const ledger = new PaymentLedger();

    const { status, body } = ledger.createPaymentIntent(checkout('o-1', paymentMethod));

    expect(status).toBe(402);
    expect(body.error).toMatchObject({
      type: 'card_error',
      code,
      decline_code: declineCode,
      payment_intent: { status: 'requires_payment_method', amount_received: 0 },
    });
    expect(ledger.byOrder()['o-1']?.captured).toBe(0);
  });

  it('refuses an unknown payment method, a missing amount and an unknown parameter as invalid requests', () => {
    const ledger = new PaymentLedger();
    const noAmount = checkout('o-1');
    noAmount.delete('amount');
    const extra = checkout('o-1');
    extra.set('amout', '5');

    expect(ledger.createPaymentIntent(checkout('o-1', 'pm_card_unknown')).body.error).toMatchObject({
      type: 'invalid_request_error',
      code: 'resource_missing',
      param: 'payment_method',
    });
    expect(ledger.createPaymentIntent(noAmount).body.error).toMatchObject({ code: 'parameter_missing', param: 'amount' });
    expect(ledger.createPaymentIntent(extra).body.error).toMatchObject({ code: 'parameter_unknown', param: 'amout' });
  });

  it('asks for a return_url when automatic payment methods may redirect, as Stripe does', () => {
    const ledger = new PaymentLedger();
    const mayRedirect = checkout('o-1');
    mayRedirect.delete('automatic_payment_methods[allow_redirects]');

    const { status, body } = ledger.createPaymentIntent(mayRedirect);

    expect(status).toBe(400);
    expect(String((body.error as { message: string }).message)).toContain('return_url');
  });
});

describe('the local payment provider: idempotency keys', () => {
  it('replays the first answer for the same key and parameters, and charges once', () => {
    const ledger = new PaymentLedger();
    const charge = () =>
      ledger.idempotent('checkout-o-1', '/v1/payment_intents', checkout('o-1'), () => ledger.createPaymentIntent(checkout('o-1')));

    const first = charge();
    const retry = charge();

    expect(retry).toEqual({ answer: first.answer, replayed: true });
    expect(ledger.byOrder()['o-1']?.paymentIntents).toHaveLength(1);
  });

  it('replays a decline too, so a retry never turns it into a second attempt', () => {
    const ledger = new PaymentLedger();
    const params = checkout('o-1', 'pm_card_chargeDeclined');
    const decline = () => ledger.idempotent('checkout-o-1', '/v1/payment_intents', params, () => ledger.createPaymentIntent(params));

    decline();

    expect(decline()).toMatchObject({ answer: { status: 402 }, replayed: true });
    expect(ledger.byOrder()['o-1']?.paymentIntents).toHaveLength(1);
  });

  it('refuses the same key with other parameters as an idempotency_error, charging nothing more', () => {
    const ledger = new PaymentLedger();
    ledger.idempotent('checkout-o-1', '/v1/payment_intents', checkout('o-1'), () => ledger.createPaymentIntent(checkout('o-1')));
    const other = checkout('o-1', 'pm_card_visa', 2500);

    const { answer } = ledger.idempotent('checkout-o-1', '/v1/payment_intents', other, () => ledger.createPaymentIntent(other));

    expect(answer).toMatchObject({ status: 400, body: { error: { type: 'idempotency_error' } } });
    expect(ledger.byOrder()['o-1']?.captured).toBe(1999);
  });

  it('keeps no answer for refused parameters, so a corrected retry may use the same key', () => {
    const ledger = new PaymentLedger();
    const broken = checkout('o-1', 'pm_card_unknown');
    ledger.idempotent('checkout-o-1', '/v1/payment_intents', broken, () => ledger.createPaymentIntent(broken));

    const { answer } = ledger.idempotent('checkout-o-1', '/v1/payment_intents', checkout('o-1'), () =>
      ledger.createPaymentIntent(checkout('o-1')),
    );

    expect(answer.status).toBe(200);
  });
});

describe('the local payment provider: refunds and the ledger', () => {
  it('refunds a captured PaymentIntent in full once, and refuses a second refund', () => {
    const ledger = new PaymentLedger();
    const intent = ledger.createPaymentIntent(checkout('o-1')).body.id as string;
    const refund = new URLSearchParams({ payment_intent: intent });

    const first = ledger.createRefund(refund);
    const second = ledger.createRefund(refund);

    expect(first).toMatchObject({ status: 200, body: { object: 'refund', status: 'succeeded', amount: 1999, payment_intent: intent } });
    expect(second).toMatchObject({ status: 400, body: { error: { code: 'charge_already_refunded' } } });
  });

  it('refuses to refund a declined PaymentIntent or one it does not know', () => {
    const ledger = new PaymentLedger();
    const declined = ledger.createPaymentIntent(checkout('o-1', 'pm_card_chargeDeclined')).body.error as { payment_intent: { id: string } };

    expect(ledger.createRefund(new URLSearchParams({ payment_intent: declined.payment_intent.id })).status).toBe(400);
    expect(ledger.createRefund(new URLSearchParams({ payment_intent: 'pi_missing' }))).toMatchObject({
      status: 404,
      body: { error: { code: 'resource_missing' } },
    });
  });

  it('reads a PaymentIntent back by id', () => {
    const ledger = new PaymentLedger();
    const created = ledger.createPaymentIntent(checkout('o-1')).body;

    expect(ledger.getPaymentIntent(created.id as string)).toEqual({ status: 200, body: created });
    expect(ledger.getPaymentIntent('pi_missing').status).toBe(404);
  });

  it('lists every PaymentIntent and refund by order, with what each order was charged and refunded', () => {
    const ledger = new PaymentLedger();
    ledger.createPaymentIntent(checkout('o-1', 'pm_card_chargeDeclined'));
    const paid = ledger.createPaymentIntent(checkout('o-2')).body.id as string;
    ledger.createRefund(new URLSearchParams({ payment_intent: paid }));
    ledger.createPaymentIntent(checkout('o-3', 'pm_card_mastercard', 500));

    const orders = ledger.byOrder();

    expect(Object.keys(orders).sort()).toEqual(['o-1', 'o-2', 'o-3']);
    expect(orders['o-1']).toMatchObject({ captured: 0, refunded: 0 });
    expect(orders['o-2']).toMatchObject({ captured: 1999, refunded: 1999, refunds: [{ payment_intent: paid }] });
    expect(orders['o-3']).toMatchObject({ captured: 500, refunded: 0 });
  });
});

describe('the local payment provider: PaymentIntents in two steps', () => {
  /** The form the payments service creates an order's intent with: no payment method, no confirm. */
  const unconfirmed = (orderId: string) => {
    const form = checkout(orderId);
    form.delete('payment_method');
    form.delete('confirm');
    return form;
  };
  const withMethod = (paymentMethod = 'pm_card_visa') => new URLSearchParams({ payment_method: paymentMethod });
  const created = (ledger: PaymentLedger, orderId = 'o-1') => ledger.createPaymentIntent(unconfirmed(orderId)).body.id as string;

  it('creates an intent without charging anything: it waits for a payment method', () => {
    const ledger = new PaymentLedger();

    const { status, body } = ledger.createPaymentIntent(unconfirmed('o-1'));

    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'requires_payment_method', amount: 1999, amount_received: 0, payment_method: null });
    expect(ledger.byOrder()['o-1']).toMatchObject({ captured: 0, paymentIntents: [{ id: body.id }] });
  });

  it('charges the intent when it is confirmed with a succeeding card', () => {
    const ledger = new PaymentLedger();
    const id = created(ledger);

    const { status, body } = ledger.confirmPaymentIntent(id, withMethod());

    expect(status).toBe(200);
    expect(body).toMatchObject({ id, status: 'succeeded', amount_received: 1999, payment_method: 'pm_card_visa' });
    expect(ledger.byOrder()['o-1']?.captured).toBe(1999);
  });

  it('declines a confirm with a declining card with a 402 card_error, leaving the intent to try another card', () => {
    const ledger = new PaymentLedger();
    const id = created(ledger);

    const declined = ledger.confirmPaymentIntent(id, withMethod('pm_card_chargeDeclinedInsufficientFunds'));
    const retried = ledger.confirmPaymentIntent(id, withMethod('pm_card_mastercard'));

    expect(declined).toMatchObject({
      status: 402,
      body: {
        error: { type: 'card_error', decline_code: 'insufficient_funds', payment_intent: { id, status: 'requires_payment_method' } },
      },
    });
    expect(retried).toMatchObject({ status: 200, body: { status: 'succeeded' } });
  });

  it('cancels an intent that took no money, and then refuses to confirm it (payment_intent_unexpected_state)', () => {
    const ledger = new PaymentLedger();
    const id = created(ledger);

    const cancelled = ledger.cancelPaymentIntent(id, new URLSearchParams());
    const confirmed = ledger.confirmPaymentIntent(id, withMethod());

    expect(cancelled).toMatchObject({ status: 200, body: { id, status: 'canceled', cancellation_reason: null } });
    expect(cancelled.body.canceled_at).toEqual(expect.any(Number));
    expect(confirmed).toMatchObject({
      status: 400,
      body: { error: { type: 'invalid_request_error', code: 'payment_intent_unexpected_state', payment_intent: { status: 'canceled' } } },
    });
    expect(String((confirmed.body.error as { message: string }).message)).toMatch(/status of canceled/);
    expect(ledger.byOrder()['o-1']?.captured).toBe(0);
  });

  it('refuses to cancel an intent that succeeded, or one cancelled already, as Stripe does', () => {
    const ledger = new PaymentLedger();
    const succeeded = created(ledger, 'o-1');
    ledger.confirmPaymentIntent(succeeded, withMethod());
    const cancelled = created(ledger, 'o-2');
    ledger.cancelPaymentIntent(cancelled, new URLSearchParams());

    const refusals = [
      ledger.cancelPaymentIntent(succeeded, new URLSearchParams()),
      ledger.cancelPaymentIntent(cancelled, new URLSearchParams()),
    ];

    for (const refusal of refusals)
      expect(refusal).toMatchObject({ status: 400, body: { error: { code: 'payment_intent_unexpected_state' } } });
    expect(String((refusals[0]?.body.error as { message: string }).message)).toMatch(
      /^You cannot cancel this PaymentIntent because it has a status of succeeded/,
    );
    expect(ledger.byOrder()['o-1']?.captured).toBe(1999);
  });

  it('refuses to confirm an intent twice, and one with no payment method at all', () => {
    const ledger = new PaymentLedger();
    const id = created(ledger);
    ledger.confirmPaymentIntent(id, withMethod());

    const again = ledger.confirmPaymentIntent(id, withMethod());
    const noMethod = ledger.confirmPaymentIntent(created(ledger, 'o-2'), new URLSearchParams());

    expect(again).toMatchObject({ status: 400, body: { error: { code: 'payment_intent_unexpected_state' } } });
    expect(noMethod).toMatchObject({ status: 400, body: { error: { code: 'payment_intent_unexpected_state' } } });
    expect(ledger.byOrder()['o-1']?.captured).toBe(1999);
  });

  it('answers an unknown intent with 404 resource_missing, and refuses an unknown parameter or cancellation reason', () => {
    const ledger = new PaymentLedger();
    const id = created(ledger);

    expect(ledger.confirmPaymentIntent('pi_missing', withMethod())).toMatchObject({
      status: 404,
      body: { error: { code: 'resource_missing' } },
    });
    expect(ledger.cancelPaymentIntent('pi_missing', new URLSearchParams())).toMatchObject({ status: 404 });
    expect(ledger.confirmPaymentIntent(id, new URLSearchParams({ amount: '1' }))).toMatchObject({
      status: 400,
      body: { error: { code: 'parameter_unknown', param: 'amount' } },
    });
    expect(ledger.cancelPaymentIntent(id, new URLSearchParams({ cancellation_reason: 'bored' }))).toMatchObject({
      status: 400,
      body: { error: { param: 'cancellation_reason' } },
    });
  });

  it('replays a confirm for its idempotency key: a retry after a lost answer charges once', () => {
    const ledger = new PaymentLedger();
    const id = created(ledger);
    const path = `/v1/payment_intents/${id}/confirm`;
    const confirm = () => ledger.idempotent('confirm-o-1', path, withMethod(), () => ledger.confirmPaymentIntent(id, withMethod()));

    const first = confirm();
    const retry = confirm();

    expect(retry).toEqual({ answer: first.answer, replayed: true });
    expect(ledger.byOrder()['o-1']?.captured).toBe(1999);
  });
});
