import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, DynamoDBRecord, DynamoDBStreamEvent, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { observeInvocation } from './invocation';

/**
 * A batch consumer with partial batch failure reporting (the function needs
 * `functionResponseType: ReportBatchItemFailures`). A batch where every record
 * failed is reported the same way rather than thrown, so Lambda and the local
 * event-source layer see one shape of answer. The batch logs under the
 * invocation's request id until a record handler names the id it carries.
 */
function partialBatchHandler<Event extends { Records: RecordType[] }, RecordType>(
  eventType: (typeof EventType)[keyof typeof EventType],
  recordHandler: (record: RecordType) => Promise<void>,
) {
  const processor = new BatchProcessor(eventType);
  return (event: Event, context: Context): Promise<SQSBatchResponse> =>
    observeInvocation(event, context, context.awsRequestId, () =>
      // Powertools types each event kind separately; the two callers below fix the pairing of event and record.
      processPartialResponse(event as never, recordHandler as never, processor, { context, throwOnFullBatchFailure: false }),
    );
}

/** SQS: a record whose handler throws is reported and comes back alone; the others are deleted. */
export const sqsBatchHandler = (recordHandler: (record: SQSRecord) => Promise<void>) =>
  partialBatchHandler<SQSEvent, SQSRecord>(EventType.SQS, recordHandler);

/** DynamoDB Streams: the stream checkpoints before the first failed record and retries from there. */
export const dynamoStreamHandler = (recordHandler: (record: DynamoDBRecord) => Promise<void>) =>
  partialBatchHandler<DynamoDBStreamEvent, DynamoDBRecord>(EventType.DynamoDBStreams, recordHandler);
