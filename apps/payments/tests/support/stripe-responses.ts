/**
 * Answers as Stripe's API gives them (test mode), trimmed to the fields that matter plus a few that do not,
 * so the adapter is seen to ignore what it does not read.
 */
export const succeededPaymentIntent = {
  id: 'pi_3QxTestSucceeded',
  object: 'payment_intent',
  amount: 2500,
  amount_received: 2500,
  currency: 'eur',
  status: 'succeeded',
  payment_method: 'pm_1QxTestVisa',
  automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
  metadata: { orderId: 'o-1' },
  latest_charge: 'ch_3QxTestSucceeded',
  livemode: false,
};

/** POST /v1/payment_intents without confirm and without a payment method: nothing charged yet. */
export const createdPaymentIntent = {
  ...succeededPaymentIntent,
  status: 'requires_payment_method',
  amount_received: 0,
  payment_method: null,
  latest_charge: null,
};

export const processingPaymentIntent = { ...createdPaymentIntent, status: 'processing', payment_method: 'pm_1QxTestVisa' };

/** POST /v1/payment_intents/{id}/cancel of an intent that took no money. */
export const canceledPaymentIntent = {
  ...createdPaymentIntent,
  status: 'canceled',
  canceled_at: 1767225600,
  cancellation_reason: null,
};

export const requiresActionPaymentIntent = {
  ...succeededPaymentIntent,
  id: 'pi_3QxTestAction',
  status: 'requires_action',
  amount_received: 0,
};

/** 402 for pm_card_chargeDeclined. */
export const genericDecline = {
  error: {
    type: 'card_error',
    code: 'card_declined',
    decline_code: 'generic_decline',
    message: 'Your card was declined.',
    doc_url: 'https://stripe.com/docs/error-codes/card-declined',
    payment_intent: { id: 'pi_3QxTestDeclined', object: 'payment_intent', status: 'requires_payment_method' },
    request_log_url: 'https://dashboard.stripe.com/test/logs/req_test',
  },
};

/** 402 for pm_card_chargeDeclinedExpiredCard: a code and no decline_code. */
export const expiredCard = {
  error: {
    type: 'card_error',
    code: 'expired_card',
    message: 'Your card has expired.',
    param: 'exp_month',
    payment_intent: { id: 'pi_3QxTestExpired', object: 'payment_intent', status: 'requires_payment_method' },
  },
};

/** 401 for a key Stripe does not know (its message quotes part of the key). */
export const invalidApiKey = {
  error: { type: 'invalid_request_error', message: 'Invalid API Key provided: sk_test_****oops' },
};

/** 400 for the same Idempotency-Key with other parameters. */
export const idempotencyMismatch = {
  error: {
    type: 'idempotency_error',
    message: 'Keys for idempotent requests can only be used with the same parameters they were first used with.',
  },
};

/** 400 for a confirm of an intent that was cancelled. */
export const confirmOfCanceled = {
  error: {
    type: 'invalid_request_error',
    code: 'payment_intent_unexpected_state',
    message:
      'You cannot confirm this PaymentIntent because it has a status of canceled. Only a PaymentIntent with one of the following statuses may be confirmed: requires_confirmation, requires_action, requires_payment_method.',
    doc_url: 'https://stripe.com/docs/error-codes/payment-intent-unexpected-state',
    payment_intent: canceledPaymentIntent,
  },
};

/** 400 for a cancel of an intent that succeeded (a refund is what gives the money back). */
export const cancelOfSucceeded = {
  error: {
    type: 'invalid_request_error',
    code: 'payment_intent_unexpected_state',
    message:
      'You cannot cancel this PaymentIntent because it has a status of succeeded. Only a PaymentIntent with one of the following statuses may be canceled: requires_payment_method, requires_capture, requires_confirmation, requires_action, processing.',
    doc_url: 'https://stripe.com/docs/error-codes/payment-intent-unexpected-state',
    payment_intent: succeededPaymentIntent,
  },
};

/** 404 for an id Stripe does not know. */
export const noSuchPaymentIntent = {
  error: {
    type: 'invalid_request_error',
    code: 'resource_missing',
    param: 'intent',
    message: "No such payment_intent: 'pi_missing'",
  },
};

export const rateLimited = {
  error: { type: 'invalid_request_error', code: 'rate_limit', message: 'Too many requests hit the API too quickly.' },
};

export const apiError = { error: { type: 'api_error', message: 'An unknown error occurred' } };

export const succeededRefund = {
  id: 're_3QxTestRefund',
  object: 'refund',
  amount: 2500,
  currency: 'eur',
  payment_intent: 'pi_3QxTestSucceeded',
  status: 'succeeded',
};
