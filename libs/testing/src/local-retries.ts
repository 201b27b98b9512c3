/**
 * How test clients retry DynamoDB Local. It answers a transaction that waited too long for an item's lock with a
 * 500 ("This request will succeed in actual DynamoDB API"), which many concurrent transactions on one item (the
 * reservation race tests) meet on a busy machine. The SDK's standard strategy waits up to 20 s between attempts and
 * takes every retry from a quota the whole client shares, which such a burst can empty: the test then waits long
 * or fails for a reason AWS does not have. Here a server error or timeout is tried again soon, many times, with no
 * quota; a client error (a failed condition, a cancelled transaction) is never retried, as by the SDK.
 */
const MAX_ATTEMPTS = 30;
const BASE_DELAY_MS = 20;
const JITTER_MS = 80;

interface RetryToken {
  getRetryCount(): number;
  getRetryDelay(): number;
}

const tokenFor = (retries: number): RetryToken => ({
  getRetryCount: () => retries,
  getRetryDelay: () => (retries === 0 ? 0 : BASE_DELAY_MS + Math.random() * JITTER_MS),
});

export const localRetryStrategy = {
  async acquireInitialRetryToken(): Promise<RetryToken> {
    return tokenFor(0);
  },
  async refreshRetryTokenForRetry(token: RetryToken, { error, errorType }: { error?: unknown; errorType: string }): Promise<RetryToken> {
    const retries = token.getRetryCount() + 1;
    if (errorType === 'CLIENT_ERROR' || retries >= MAX_ATTEMPTS) throw error;
    return tokenFor(retries);
  },
  recordSuccess(): void {},
};
