// Errors are told apart by name rather than by class: that holds even when two copies of the SDK are
// loaded, and keeps the exception classes out of every bundle.
interface CancelledTransaction {
  name: 'TransactionCanceledException';
  CancellationReasons?: { Code?: string }[];
}

const nameOf = (error: unknown) => (error as { name?: unknown } | null | undefined)?.name;

const cancellationCodes = (error: unknown): (string | undefined)[] =>
  nameOf(error) === 'TransactionCanceledException' ? ((error as CancelledTransaction).CancellationReasons ?? []).map((r) => r.Code) : [];

/**
 * True when the write was refused because its condition did not hold: a single
 * conditional write (PutItem, UpdateItem, DeleteItem) when no item is named, or
 * the item at index `transactionItem` of a TransactWriteItems call (e.g. an
 * idempotency record that already exists).
 */
export function conditionFailed(error: unknown, transactionItem?: number): boolean {
  if (transactionItem === undefined) return nameOf(error) === 'ConditionalCheckFailedException';
  return cancellationCodes(error)[transactionItem] === 'ConditionalCheckFailed';
}

/** True when a transaction only lost a race with another one on the same items; trying again is expected. */
function transactionConflict(error: unknown): boolean {
  return cancellationCodes(error).includes('TransactionConflict');
}

export interface ConflictRetryOptions {
  /** Attempts after the first; concurrent orders for one product can queue up, so the default is generous. */
  retries?: number;
  /** Upper bound of the pause before any retry, in milliseconds. */
  maxPauseMs?: number;
  /** Waits; replaced in tests. */
  pause?: (ms: number) => Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs a transactional write, running it again while it fails only because it
 * lost a race (TransactionConflict), as DynamoDB expects of the loser. Each
 * retry waits a random time (full jitter, growing exponentially up to
 * `maxPauseMs`), so racing writers spread out instead of colliding again.
 */
export async function retryTransactionConflicts<T>(
  write: () => Promise<T>,
  { retries = 25, maxPauseMs = 200, pause = sleep }: ConflictRetryOptions = {},
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (!transactionConflict(error) || attempt >= retries) throw error;
      await pause(Math.random() * Math.min(10 * 2 ** attempt, maxPauseMs));
    }
  }
}
