/** A payment item as the payments table stores it, for tests that answer DynamoDB reads. */
export const aStoredPayment = (overrides: Record<string, unknown> = {}) => ({
  PK: 'PAYMENT#o-1',
  SK: 'PAYMENT',
  entityType: 'PAYMENT',
  orderId: 'o-1',
  customerId: 'customer-1',
  status: 'PENDING',
  amount: 2500,
  currency: 'EUR',
  paymentMethod: 'pm_card_visa',
  attempts: 0,
  createdAt: '2026-03-01T10:00:00.000Z',
  updatedAt: '2026-03-01T10:00:00.000Z',
  ...overrides,
});

/** What the provider's settings and key look like to the functions that call it. */
export const PROVIDER_ENVIRONMENT = {
  PAYMENTS_TABLE: 'payments-test',
  PAYMENT_PROVIDER_URL: 'https://api.stripe.test',
  PAYMENT_PROVIDER_TIMEOUT_MS: '5000',
  PAYMENT_PROVIDER_SECRET_ID: 'storefront/test/payment-provider',
};
export const TEST_API_KEY = 'sk_test_handler_tests_key';
