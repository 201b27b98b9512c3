import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { conditionFailed, retryTransactionConflicts } from '../src';

const cancelled = (codes: string[]) =>
  new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

const conditionalCheckFailed = () => new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });

describe('conditionFailed', () => {
  it('recognises a single write whose condition failed', () => {
    expect(conditionFailed(conditionalCheckFailed())).toBe(true);
  });

  it('recognises it by name too, as an error from another copy of the SDK arrives', () => {
    expect(conditionFailed(Object.assign(new Error('failed'), { name: 'ConditionalCheckFailedException' }))).toBe(true);
  });

  it('finds the transaction item whose condition failed', () => {
    const error = cancelled(['None', 'None', 'ConditionalCheckFailed']);

    expect(conditionFailed(error, 2)).toBe(true);
    expect(conditionFailed(error, 0)).toBe(false);
  });

  it('does not take a cancelled transaction for a failed single write, nor the reverse', () => {
    expect(conditionFailed(cancelled(['ConditionalCheckFailed']))).toBe(false);
    expect(conditionFailed(conditionalCheckFailed(), 0)).toBe(false);
  });

  it('is false for other errors', () => {
    expect(conditionFailed(new Error('throttled'))).toBe(false);
    expect(conditionFailed(new Error('throttled'), 0)).toBe(false);
    expect(conditionFailed(cancelled(['TransactionConflict']), 0)).toBe(false);
    expect(conditionFailed(undefined)).toBe(false);
  });
});

describe('retryTransactionConflicts', () => {
  const noPause = async () => undefined;

  it('runs the write again while it loses races, and answers what it finally returns', async () => {
    const write = jest
      .fn<Promise<string>, []>()
      .mockRejectedValueOnce(cancelled(['None', 'TransactionConflict']))
      .mockRejectedValueOnce(cancelled(['TransactionConflict']))
      .mockResolvedValue('written');

    await expect(retryTransactionConflicts(write, { pause: noPause })).resolves.toBe('written');
    expect(write).toHaveBeenCalledTimes(3);
  });

  it('pauses a random time before each retry, within the bound', async () => {
    const pauses: number[] = [];
    const write = jest
      .fn<Promise<void>, []>()
      .mockRejectedValueOnce(cancelled(['TransactionConflict']))
      .mockResolvedValue();

    await retryTransactionConflicts(write, { maxPauseMs: 50, pause: async (ms) => void pauses.push(ms) });

    expect(pauses).toHaveLength(1);
    expect(pauses[0]).toBeGreaterThanOrEqual(0);
    expect(pauses[0]).toBeLessThanOrEqual(50);
  });

  it('gives up after the last retry with the conflict', async () => {
    const conflict = cancelled(['TransactionConflict']);
    const write = jest.fn<Promise<void>, []>().mockRejectedValue(conflict);

    await expect(retryTransactionConflicts(write, { retries: 2, pause: noPause })).rejects.toBe(conflict);
    expect(write).toHaveBeenCalledTimes(3);
  });

  it('does not retry a failed condition or any other error', async () => {
    const failedCondition = cancelled(['ConditionalCheckFailed']);
    const write = jest.fn<Promise<void>, []>().mockRejectedValue(failedCondition);

    await expect(retryTransactionConflicts(write, { pause: noPause })).rejects.toBe(failedCondition);
    expect(write).toHaveBeenCalledTimes(1);
  });
});
