import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';

/**
 * True when a TransactWriteItems call was cancelled because the condition of
 * the item at `index` failed (e.g. an idempotency record that already exists).
 */
export function conditionFailedAt(error: unknown, index: number): boolean {
  if (!(error instanceof TransactionCanceledException) && (error as { name?: string })?.name !== 'TransactionCanceledException') {
    return false;
  }
  const reasons = (error as TransactionCanceledException).CancellationReasons ?? [];
  return reasons[index]?.Code === 'ConditionalCheckFailed';
}
