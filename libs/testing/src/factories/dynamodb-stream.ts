import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent, StreamRecord } from 'aws-lambda';
import { TEST_ACCOUNT, TEST_REGION, TEST_TIME, uniqueId } from './sequence';

type Image = NonNullable<StreamRecord['NewImage']>;

export interface StreamRecordOptions {
  eventName?: DynamoDBRecord['eventName'];
  sequenceNumber?: string;
}

/** The util's AttributeValue and the aws-lambda one describe the same wire format under two types. */
const marshalled = (item: Record<string, unknown>) => marshall(item, { removeUndefinedValues: true }) as unknown as Image;

/**
 * A record of a table stream with the NEW_IMAGE view, as Lambda hands it over: the item marshalled
 * as NewImage, and its PK and SK (every table here keys on them) as Keys.
 */
export function aStreamRecord(newImage: Record<string, unknown> = {}, options: StreamRecordOptions = {}): DynamoDBRecord {
  const sequenceNumber = options.sequenceNumber ?? uniqueId('sequence').replace(/\D/g, '');
  const { PK, SK } = newImage;
  return {
    eventID: `event-${sequenceNumber}`,
    eventName: options.eventName ?? 'INSERT',
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    eventSourceARN: `arn:aws:dynamodb:${TEST_REGION}:${TEST_ACCOUNT}:table/test-table/stream/${TEST_TIME}`,
    awsRegion: TEST_REGION,
    dynamodb: {
      ApproximateCreationDateTime: Date.parse(TEST_TIME) / 1000,
      Keys: marshalled({ PK, SK }),
      NewImage: marshalled(newImage),
      SequenceNumber: sequenceNumber,
      SizeBytes: JSON.stringify(newImage).length,
      StreamViewType: 'NEW_IMAGE',
    },
  };
}

export const aStreamEvent = (...records: DynamoDBRecord[]): DynamoDBStreamEvent => ({ Records: records });
