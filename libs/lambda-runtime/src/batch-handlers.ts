import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, DynamoDBRecord, DynamoDBStreamEvent, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { flushMetrics, logger } from './observability';

/**
 * SQS consumer with partial batch failure reporting: a record whose handler
 * throws is reported in `batchItemFailures` and comes back alone; the others
 * are deleted. The function needs `functionResponseType: ReportBatchItemFailures`.
 * A batch where every record failed is reported the same way rather than
 * thrown, so Lambda and the local event-source layer see one shape of answer.
 */
export function sqsBatchHandler(recordHandler: (record: SQSRecord) => Promise<void>) {
  const processor = new BatchProcessor(EventType.SQS);
  return async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    logger.addContext(context);
    try {
      return await processPartialResponse(event, recordHandler, processor, { context, throwOnFullBatchFailure: false });
    } finally {
      flushMetrics();
    }
  };
}

/**
 * DynamoDB Streams consumer with partial batch failure reporting: the stream
 * checkpoints before the first failed record and retries from there.
 */
export function dynamoStreamHandler(recordHandler: (record: DynamoDBRecord) => Promise<void>) {
  const processor = new BatchProcessor(EventType.DynamoDBStreams);
  return async (event: DynamoDBStreamEvent, context: Context): Promise<SQSBatchResponse> => {
    logger.addContext(context);
    try {
      return await processPartialResponse(event, recordHandler, processor, { context, throwOnFullBatchFailure: false });
    } finally {
      flushMetrics();
    }
  };
}
