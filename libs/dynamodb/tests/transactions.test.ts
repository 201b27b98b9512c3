import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { conditionFailedAt } from '../src';

const cancelled = (codes: string[]) =>
  new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

describe('conditionFailedAt', () => {
  it('finds the item whose condition failed', () => {
    const error = cancelled(['None', 'None', 'ConditionalCheckFailed']);

    expect(conditionFailedAt(error, 2)).toBe(true);
    expect(conditionFailedAt(error, 0)).toBe(false);
  });

  it('is false for other errors', () => {
    expect(conditionFailedAt(new Error('throttled'), 0)).toBe(false);
    expect(conditionFailedAt(cancelled(['TransactionConflict']), 0)).toBe(false);
  });
});
