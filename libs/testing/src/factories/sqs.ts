import { createHash } from 'node:crypto';
import { EVENT_TYPE_ATTRIBUTE } from '@storefront/contracts';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { TEST_ACCOUNT, TEST_REGION, TEST_TIME, uniqueId } from './sequence';

const md5 = (text: string) => createHash('md5').update(text).digest('hex');

/** An SQS record as Lambda hands it over; a body that is not a string is sent as its JSON. */
export function anSqsRecord(body: unknown = {}, overrides: Partial<SQSRecord> = {}): SQSRecord {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const messageId = overrides.messageId ?? uniqueId('message');
  const sentAt = String(Date.parse(TEST_TIME));
  return {
    messageId,
    receiptHandle: `receipt-${messageId}`,
    body: text,
    attributes: { ApproximateReceiveCount: '1', SentTimestamp: sentAt, SenderId: TEST_ACCOUNT, ApproximateFirstReceiveTimestamp: sentAt },
    messageAttributes: {},
    md5OfBody: md5(text),
    eventSource: 'aws:sqs',
    eventSourceARN: `arn:aws:sqs:${TEST_REGION}:${TEST_ACCOUNT}:test-queue`,
    awsRegion: TEST_REGION,
    ...overrides,
  };
}

/**
 * The SQS record a topic subscription with raw message delivery puts on its queue: the event itself as the
 * body, and its type as the `eventType` message attribute that subscription filters read.
 */
export function anSqsRecordFromTopic(event: { type: string }, overrides: Partial<SQSRecord> = {}): SQSRecord {
  return anSqsRecord(event, {
    messageAttributes: {
      [EVENT_TYPE_ATTRIBUTE]: { dataType: 'String', stringValue: event.type, stringListValues: [], binaryListValues: [] },
    },
    ...overrides,
  });
}

export const anSqsEvent = (...records: SQSRecord[]): SQSEvent => ({ Records: records });
