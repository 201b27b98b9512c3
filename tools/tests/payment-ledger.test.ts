import { PaymentLedger } from '../local/payment-ledger.ts';
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
