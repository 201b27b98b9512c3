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
