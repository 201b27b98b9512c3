import type { SQSRecord } from 'aws-lambda';
import { parseWith, type Schema } from '@storefront/contracts';
import { ValidationError } from '@storefront/errors';
import { sqsBatchHandler } from './batch-handlers';
import { withCorrelationId } from './observability';

/** A message that can never be handled: retrying will not help, so it ends in the dead-letter queue. */
export class UnreadableMessageError extends ValidationError {
  override readonly name: string = 'UnreadableMessageError';
}

/**
 * An SQS consumer of contract events: each message body is parsed with the
 * consumer's schema, its correlation id goes into the logs, and the handler
 * sees a typed event. A message that is not JSON or breaks the contract fails
 * alone (partial batch failure) and, after maxReceiveCount, lands in the DLQ.
 */
export function sqsEventHandler<E extends { correlationId: string }>(
  schema: Schema<E>,
  handle: (event: E, record: SQSRecord) => Promise<void>,
) {
  return sqsBatchHandler(async (record) => {
    let body: unknown;
    try {
      body = JSON.parse(record.body);
    } catch (cause) {
      throw new UnreadableMessageError(`Message ${record.messageId} is not JSON`, [{ path: 'body', message: 'must be JSON' }], { cause });
    }
    const parsed = parseWith(schema, body);
    if (!parsed.success) throw new UnreadableMessageError(`Message ${record.messageId} breaks the event contract`, parsed.issues);
    await withCorrelationId(parsed.data.correlationId, () => handle(parsed.data, record));
  });
}
