import { localRetryStrategy } from '../src/local-retries';

const lockTimeout = Object.assign(new Error('This action timed out because it too long waiting for a lock'), {
  name: 'InternalServerError',
});

async function retriesOf(errorType: string, error: unknown = lockTimeout) {
  let token = await localRetryStrategy.acquireInitialRetryToken();
  const delays: number[] = [];
  try {
    for (;;) {
      token = await localRetryStrategy.refreshRetryTokenForRetry(token, { error, errorType });
      delays.push(token.getRetryDelay());
    }
  } catch (thrown) {
    return { delays, thrown };
  }
}

describe('retrying DynamoDB Local', () => {
  it('tries a server error again soon, up to 30 attempts, then gives the error back', async () => {
    const { delays, thrown } = await retriesOf('TRANSIENT');

    expect(delays).toHaveLength(29);
    expect(delays.every((delay) => delay >= 20 && delay <= 100)).toBe(true);
    expect(thrown).toBe(lockTimeout);
  });

  it('never retries a client error, such as a failed condition', async () => {
    const conditionFailed = Object.assign(new Error('The conditional request failed'), { name: 'ConditionalCheckFailedException' });

    const { delays, thrown } = await retriesOf('CLIENT_ERROR', conditionFailed);

    expect(delays).toEqual([]);
    expect(thrown).toBe(conditionFailed);
  });

  it('keeps no quota: a burst of failing requests all get their retries', async () => {
    const burst = await Promise.all(Array.from({ length: 200 }, () => retriesOf('SERVER_ERROR')));

    expect(burst.every(({ delays }) => delays.length === 29)).toBe(true);
  });
});
