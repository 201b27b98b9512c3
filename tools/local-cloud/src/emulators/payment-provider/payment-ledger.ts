/**
 * What the local payment provider has done, and how it answers, in the subset of Stripe's API the payments
 * service uses: PaymentIntents created, confirmed (Stripe's test payment methods decide the outcome; `confirm=true`
 * on create does both in one call), read and cancelled, with Stripe's rules on which status allows what; refunds;
 * and idempotency keys (the same key and parameters replay the first answer; the same key with other parameters is
 * an idempotency_error). Every PaymentIntent and refund is kept by order, so a test
 * can see that no order was charged twice and no charge was kept for an order that did not go through.
 */
import { randomBytes } from 'node:crypto';

/** The only key the local provider accepts: fixed, printed in the docs, and so no secret at all. */
export const LOCAL_PAYMENT_PROVIDER_KEY = 'sk_test_storefront_local_not_a_secret';

/** An answer in Stripe's shape: an HTTP status and its JSON body. */
export interface StripeAnswer {
  status: number;
  body: Record<string, unknown>;
}

interface StripeErrorDetails {
  type: 'invalid_request_error' | 'card_error' | 'idempotency_error' | 'api_error';
  message: string;
  code?: string;
  param?: string;
  decline_code?: string;
  payment_intent?: PaymentIntent;
}

export const stripeError = (status: number, error: StripeErrorDetails): StripeAnswer => ({ status, body: { error } });

interface Decline {
  code: string;
  decline_code: string;
  message: string;
}

/** Stripe's test payment methods: these succeed, and these decline with Stripe's codes and messages. */
const TEST_PAYMENT_METHODS: Record<string, { decline?: Decline }> = {
  pm_card_visa: {},
  pm_card_mastercard: {},
  pm_card_amex: {},
  pm_card_chargeDeclined: { decline: { code: 'card_declined', decline_code: 'generic_decline', message: 'Your card was declined.' } },
  pm_card_chargeDeclinedInsufficientFunds: {
    decline: { code: 'card_declined', decline_code: 'insufficient_funds', message: 'Your card has insufficient funds.' },
  },
  pm_card_chargeDeclinedExpiredCard: { decline: { code: 'expired_card', decline_code: 'expired_card', message: 'Your card has expired.' } },
};

export interface PaymentIntent {
  id: string;
  object: 'payment_intent';
  amount: number;
  amount_received: number;
  currency: string;
  status: 'succeeded' | 'requires_payment_method' | 'requires_confirmation' | 'canceled';
  payment_method: string | null;
  automatic_payment_methods: { enabled: boolean; allow_redirects?: string } | null;
  capture_method: 'automatic';
  confirmation_method: 'automatic';
  created: number;
  canceled_at: number | null;
  cancellation_reason: string | null;
  livemode: false;
  metadata: Record<string, string>;
  latest_charge: string | null;
  last_payment_error: (Decline & { type: 'card_error' }) | null;
}

/** Which statuses allow a confirm and a cancel, and how Stripe words its refusal of the others. */
const CONFIRMABLE = ['requires_payment_method', 'requires_confirmation', 'requires_action'];
const CANCELABLE = ['requires_payment_method', 'requires_capture', 'requires_confirmation', 'requires_action', 'processing'];
const CANCELLATION_REASONS = ['duplicate', 'fraudulent', 'requested_by_customer', 'abandoned'];

export interface Refund {
  id: string;
  object: 'refund';
  amount: number;
  currency: string;
  payment_intent: string;
  charge: string | null;
  status: 'succeeded';
  created: number;
  metadata: Record<string, string>;
}

interface IdempotentResult {
  endpoint: string;
  params: string;
  answer: StripeAnswer;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** An id in Stripe's style: a prefix for its kind and 24 random characters. */
export const stripeId = (prefix: string): string =>
  `${prefix}_${[...randomBytes(24)].map((byte) => ALPHABET[byte % ALPHABET.length]).join('')}`;

const now = () => Math.floor(Date.now() / 1000);

/** The bracketed members of a form, `metadata[orderId]=o-1` → { orderId: 'o-1' }. */
function membersOf(params: URLSearchParams, name: string): Record<string, string> {
  const members: Record<string, string> = {};
  for (const [key, value] of params) {
    const match = /^(\w+)\[(\w+)\]$/.exec(key);
    if (match?.[1] === name) members[match[2] as string] = value;
  }
  return members;
}

/** The first parameter a call does not take, answered as Stripe answers it. */
function unknownParameter(params: URLSearchParams, allowed: string[], allowedGroups: string[]): StripeAnswer | undefined {
  for (const key of params.keys()) {
    const group = /^(\w+)\[/.exec(key)?.[1];
    if (!allowed.includes(key) && !(group && allowedGroups.includes(group)))
      return stripeError(400, {
        type: 'invalid_request_error',
        code: 'parameter_unknown',
        param: key,
        message: `Received unknown parameter: ${key}`,
      });
  }
  return undefined;
}

const missing = (param: string) =>
  stripeError(400, { type: 'invalid_request_error', code: 'parameter_missing', param, message: `Missing required param: ${param}.` });

function positiveAmount(params: URLSearchParams): number | StripeAnswer {
  const text = params.get('amount') ?? '';
  if (!/^\d+$/.test(text) || Number(text) < 1)
    return stripeError(400, {
      type: 'invalid_request_error',
      code: 'parameter_invalid_integer',
      param: 'amount',
      message: `Invalid integer: ${text}`,
    });
  return Number(text);
}

const PAYMENT_INTENT_PARAMS = [
  'amount',
  'currency',
  'payment_method',
  'confirm',
  'description',
  'return_url',
  'capture_method',
  'receipt_email',
];
const CONFIRM_PARAMS = ['payment_method', 'return_url', 'receipt_email'];

/** Stripe's answer for an id it does not know: 404 for the object addressed, 400 for one named in the parameters. */
const resourceMissing = (status: 400 | 404, param: string, message: string) =>
  stripeError(status, { type: 'invalid_request_error', code: 'resource_missing', param, message });
const noSuchIntent = (id: string, param = 'intent') => resourceMissing(404, param, `No such payment_intent: '${id}'`);
const unknownPaymentMethod = (paymentMethod: string) => resourceMissing(400, 'payment_method', `No such PaymentMethod: '${paymentMethod}'`);

const unexpectedState = (intent: PaymentIntent, message: string) =>
  stripeError(400, { type: 'invalid_request_error', code: 'payment_intent_unexpected_state', message, payment_intent: { ...intent } });

export class PaymentLedger {
  #paymentIntents = new Map<string, PaymentIntent>();
  #refunds: Refund[] = [];
  #idempotent = new Map<string, IdempotentResult>();

  /**
   * Runs a call under its idempotency key: a key seen before with the same call replays the first answer; with
   * another call it is refused. As on Stripe, only an answer from a call that ran is kept (a success or a decline),
   * not a refusal of its parameters, so a corrected retry may use the same key.
   */
  idempotent(
    key: string | undefined,
    endpoint: string,
    params: URLSearchParams,
    run: () => StripeAnswer,
  ): { answer: StripeAnswer; replayed: boolean } {
    if (key === undefined) return { answer: run(), replayed: false };
    const canonical = [...params].sort(([a], [b]) => a.localeCompare(b)).join('&');
    const earlier = this.#idempotent.get(key);
    if (earlier) {
      if (earlier.endpoint === endpoint && earlier.params === canonical) return { answer: earlier.answer, replayed: true };
      return {
        answer: stripeError(400, {
          type: 'idempotency_error',
          message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
        }),
        replayed: false,
      };
    }
    const answer = run();
    if (answer.status === 200 || answer.status === 402) this.#idempotent.set(key, { endpoint, params: canonical, answer });
    return { answer, replayed: false };
  }

  /**
   * POST /v1/payment_intents: created, unconfirmed (requires_payment_method, or requires_confirmation with a payment
   * method); with confirm=true also confirmed (charged or declined) in the same call.
   */
  createPaymentIntent(params: URLSearchParams): StripeAnswer {
    const refused = unknownParameter(params, PAYMENT_INTENT_PARAMS, ['metadata', 'automatic_payment_methods']);
    if (refused) return refused;
    if (!params.has('amount')) return missing('amount');
    const amount = positiveAmount(params);
    if (typeof amount !== 'number') return amount;
    const currency = params.get('currency');
    if (!currency) return missing('currency');
    if (!/^[a-zA-Z]{3}$/.test(currency))
      return stripeError(400, { type: 'invalid_request_error', param: 'currency', message: `Invalid currency: ${currency}.` });
    const paymentMethod = params.get('payment_method');
    if (paymentMethod && !TEST_PAYMENT_METHODS[paymentMethod]) return unknownPaymentMethod(paymentMethod);
    if (!['automatic', null].includes(params.get('capture_method')))
      return stripeError(400, {
        type: 'invalid_request_error',
        param: 'capture_method',
        message: 'The local provider captures automatically only.',
      });
    const automatic = membersOf(params, 'automatic_payment_methods');
    const intent: PaymentIntent = {
      id: stripeId('pi'),
      object: 'payment_intent',
      amount,
      amount_received: 0,
      currency: currency.toLowerCase(),
      status: paymentMethod ? 'requires_confirmation' : 'requires_payment_method',
      payment_method: paymentMethod,
      automatic_payment_methods:
        automatic.enabled === undefined
          ? null
          : { enabled: automatic.enabled === 'true', ...(automatic.allow_redirects ? { allow_redirects: automatic.allow_redirects } : {}) },
      capture_method: 'automatic',
      confirmation_method: 'automatic',
      created: now(),
      canceled_at: null,
      cancellation_reason: null,
      livemode: false,
      metadata: membersOf(params, 'metadata'),
      latest_charge: null,
      last_payment_error: null,
    };
    if (params.get('confirm') !== 'true') {
      this.#paymentIntents.set(intent.id, intent);
      return { status: 200, body: { ...intent } };
    }
    // As on Stripe, an intent whose confirmation is refused outright is not created either.
    const problem = this.#unconfirmable(intent, paymentMethod, params.get('return_url'));
    if (problem) return problem;
    this.#paymentIntents.set(intent.id, intent);
    return this.#charge(intent, paymentMethod as string);
  }

  /** POST /v1/payment_intents/{id}/confirm: charges (or declines) an intent that has not ended, with its payment method. */
  confirmPaymentIntent(id: string, params: URLSearchParams): StripeAnswer {
    const refused = unknownParameter(params, CONFIRM_PARAMS, []);
    if (refused) return refused;
    const intent = this.#paymentIntents.get(id);
    if (!intent) return noSuchIntent(id);
    if (intent.status === 'succeeded')
      return unexpectedState(
        intent,
        'You cannot confirm this PaymentIntent because it has already succeeded after being previously confirmed.',
      );
    if (!CONFIRMABLE.includes(intent.status))
      return unexpectedState(
        intent,
        `You cannot confirm this PaymentIntent because it has a status of ${intent.status}. Only a PaymentIntent with one of the following statuses may be confirmed: ${CONFIRMABLE.join(', ')}.`,
      );
    const paymentMethod = params.get('payment_method') ?? intent.payment_method;
    if (paymentMethod && !TEST_PAYMENT_METHODS[paymentMethod]) return unknownPaymentMethod(paymentMethod);
    const problem = this.#unconfirmable(intent, paymentMethod, params.get('return_url'));
    if (problem) return problem;
    return this.#charge(intent, paymentMethod as string);
  }

  /** POST /v1/payment_intents/{id}/cancel: only an intent that has taken no money and has not ended. */
  cancelPaymentIntent(id: string, params: URLSearchParams): StripeAnswer {
    const refused = unknownParameter(params, ['cancellation_reason'], []);
    if (refused) return refused;
    const reason = params.get('cancellation_reason');
    if (reason !== null && !CANCELLATION_REASONS.includes(reason))
      return stripeError(400, {
        type: 'invalid_request_error',
        param: 'cancellation_reason',
        message: `Invalid cancellation_reason: must be one of ${CANCELLATION_REASONS.join(', ')}`,
      });
    const intent = this.#paymentIntents.get(id);
    if (!intent) return noSuchIntent(id);
    if (!CANCELABLE.includes(intent.status))
      return unexpectedState(
        intent,
        `You cannot cancel this PaymentIntent because it has a status of ${intent.status}. Only a PaymentIntent with one of the following statuses may be canceled: ${CANCELABLE.join(', ')}.`,
      );
    Object.assign(intent, { status: 'canceled', canceled_at: now(), cancellation_reason: reason });
    return { status: 200, body: { ...intent } };
  }

  /** Why the intent cannot be confirmed with this payment method as asked, in Stripe's words; undefined if it can. */
  #unconfirmable(intent: PaymentIntent, paymentMethod: string | null, returnUrl: string | null): StripeAnswer | undefined {
    if (!paymentMethod)
      return unexpectedState(
        intent,
        "You cannot confirm this PaymentIntent because it's missing a payment method. You can either update the PaymentIntent with a payment method and then confirm it again, or confirm it again directly with a payment method.",
      );
    const automatic = intent.automatic_payment_methods;
    if (automatic?.enabled && automatic.allow_redirects !== 'never' && !returnUrl)
      return stripeError(400, {
        type: 'invalid_request_error',
        message:
          'This PaymentIntent is configured to accept payment methods enabled in your Dashboard, some of which may redirect: provide a `return_url`, or set `automatic_payment_methods[allow_redirects]` to `never`.',
      });
    return undefined;
  }

  /** The confirmation itself: the test card decides between a charge and a decline. */
  #charge(intent: PaymentIntent, paymentMethod: string): StripeAnswer {
    const card = TEST_PAYMENT_METHODS[paymentMethod] ?? {};
    intent.payment_method = paymentMethod;
    intent.latest_charge = stripeId('ch');
    if (card.decline) {
      intent.status = 'requires_payment_method';
      intent.last_payment_error = { type: 'card_error', ...card.decline };
      return stripeError(402, { type: 'card_error', ...card.decline, payment_intent: { ...intent } });
    }
    intent.status = 'succeeded';
    intent.amount_received = intent.amount;
    intent.last_payment_error = null;
    return { status: 200, body: { ...intent } };
  }

  /** GET /v1/payment_intents/{id}. */
  getPaymentIntent(id: string): StripeAnswer {
    const intent = this.#paymentIntents.get(id);
    if (!intent) return noSuchIntent(id);
    return { status: 200, body: { ...intent } };
  }

  /** POST /v1/refunds: all of what a succeeded PaymentIntent received, or `amount` of what is left. */
  createRefund(params: URLSearchParams): StripeAnswer {
    const refused = unknownParameter(params, ['payment_intent', 'amount', 'reason'], ['metadata']);
    if (refused) return refused;
    const id = params.get('payment_intent');
    if (!id) return missing('payment_intent');
    const intent = this.#paymentIntents.get(id);
    if (!intent) return noSuchIntent(id, 'payment_intent');
    if (intent.status !== 'succeeded')
      return stripeError(400, {
        type: 'invalid_request_error',
        message: `This PaymentIntent (${id}) does not have a successful charge to refund.`,
      });
    const left = intent.amount_received - this.#refunds.filter((r) => r.payment_intent === id).reduce((sum, r) => sum + r.amount, 0);
    if (left === 0)
      return stripeError(400, {
        type: 'invalid_request_error',
        code: 'charge_already_refunded',
        message: `Charge ${intent.latest_charge} has already been refunded.`,
      });
    const amount = params.has('amount') ? positiveAmount(params) : left;
    if (typeof amount !== 'number') return amount;
    if (amount > left)
      return stripeError(400, {
        type: 'invalid_request_error',
        code: 'amount_too_large',
        param: 'amount',
        message: `Refund amount (${amount}) is greater than unrefunded amount on charge (${left})`,
      });
    const refund: Refund = {
      id: stripeId('re'),
      object: 'refund',
      amount,
      currency: intent.currency,
      payment_intent: id,
      charge: intent.latest_charge,
      status: 'succeeded',
      created: now(),
      metadata: membersOf(params, 'metadata'),
    };
    this.#refunds.push(refund);
    return { status: 200, body: { ...refund } };
  }

  /** Every PaymentIntent and refund by the order in its metadata, with what each order was charged and refunded. */
  byOrder() {
    const orders: Record<string, { paymentIntents: PaymentIntent[]; refunds: Refund[]; captured: number; refunded: number }> = {};
    const orderOf = (intent: PaymentIntent) => intent.metadata.orderId ?? '(no orderId)';
    const entry = (orderId: string) => (orders[orderId] ??= { paymentIntents: [], refunds: [], captured: 0, refunded: 0 });
    for (const intent of this.#paymentIntents.values()) {
      const order = entry(orderOf(intent));
      order.paymentIntents.push({ ...intent });
      order.captured += intent.amount_received;
    }
    for (const refund of this.#refunds) {
      const order = entry(orderOf(this.#paymentIntents.get(refund.payment_intent) as PaymentIntent));
      order.refunds.push({ ...refund });
      order.refunded += refund.amount;
    }
    return orders;
  }
}
