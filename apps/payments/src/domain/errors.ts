import { NotFoundError } from '@storefront/errors';

// The checkout workflow's Retry and Catch match errors by name, and bundles are minified (classes renamed), so
// every error here declares its name as a literal.

export class PaymentNotFoundError extends NotFoundError {
  override readonly name = 'PaymentNotFoundError';

  constructor(readonly orderId: string) {
    super(`No payment is recorded for order ${orderId}`);
  }
}

/** The payment was settled already (a repeated task, or a second execution): there is nothing left to charge. */
export class PaymentNotPendingError extends Error {
  override readonly name = 'PaymentNotPendingError';

  constructor(orderId: string, status: string) {
    super(`The payment of order ${orderId} is ${status}, not PENDING: nothing to charge`);
  }
}

/** The provider did not answer usefully (connection failed, 5xx, 429, a request with the same key in flight): try again. */
export class ProviderUnavailableError extends Error {
  override readonly name = 'ProviderUnavailableError';
}

/** The provider did not answer within PAYMENT_PROVIDER_TIMEOUT_MS: try again (the idempotency key makes it safe). */
export class ProviderTimeoutError extends Error {
  override readonly name = 'ProviderTimeoutError';
}

/** The provider refused the request itself (a bad key, invalid parameters): trying again cannot help. */
export class ProviderRejectedError extends Error {
  override readonly name = 'ProviderRejectedError';

  constructor(
    readonly status: number,
    readonly type: string | undefined,
    message: string,
  ) {
    super(`The payment provider refused the request (${status}${type ? ` ${type}` : ''}): ${message}`);
  }
}

/** The provider's API key could not be read (the secret has no value yet, or no apiKey in it). */
export class ProviderNotConfiguredError extends Error {
  override readonly name = 'ProviderNotConfiguredError';
}
