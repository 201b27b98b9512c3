import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, DynamoDBRecord, DynamoDBStreamEvent, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { flushMetrics, logger } from './observability';

/**
 * A batch consumer with partial batch failure reporting (the function needs
 * `functionResponseType: ReportBatchItemFailures`). A batch where every record
 * failed is reported the same way rather than thrown, so Lambda and the local
 * event-source layer see one shape of answer.
 */
function partialBatchHandler<Event extends { Records: RecordType[] }, RecordType>(
  eventType: (typeof EventType)[keyof typeof EventType],
  recordHandler: (record: RecordType) => Promise<void>,
) {
  const processor = new BatchProcessor(eventType);
  return async (event: Event, context: Context): Promise<SQSBatchResponse> => {
    logger.addContext(context);
    try {
      // Powertools types each event kind separately; the two callers below fix the pairing of event and record.
      return await processPartialResponse(event as never, recordHandler as never, processor, { context, throwOnFullBatchFailure: false });
    } finally {
      flushMetrics();
    }
  };
}

/** SQS: a record whose handler throws is reported and comes back alone; the others are deleted. */
export const sqsBatchHandler = (recordHandler: (record: SQSRecord) => Promise<void>) =>
  partialBatchHandler<SQSEvent, SQSRecord>(EventType.SQS, recordHandler);

/** DynamoDB Streams: the stream checkpoints before the first failed record and retries from there. */
export const dynamoStreamHandler = (recordHandler: (record: DynamoDBRecord) => Promise<void>) =>
  partialBatchHandler<DynamoDBStreamEvent, DynamoDBRecord>(EventType.DynamoDBStreams, recordHandler);
