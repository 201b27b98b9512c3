import type { S3Event, S3EventRecord } from 'aws-lambda';
import { TEST_REGION, TEST_TIME, uniqueId } from './sequence';

export interface S3ObjectCreated {
  bucket?: string;
  /** The object's key as uploaded; the record carries it URL-encoded, as S3 sends it. */
  key?: string;
  size?: number;
}

/** S3 encodes keys in event records like a form value: each path segment escaped, spaces as '+'. */
const encodedKey = (key: string) =>
  key
    .split('/')
    .map((segment) => encodeURIComponent(segment).replace(/%20/g, '+'))
    .join('/');

/** The record of an object created in a bucket, as S3 notifies a function. */
export function anS3Record({ bucket = 'test-bucket', key = 'imports/catalog.csv', size = 1024 }: S3ObjectCreated = {}): S3EventRecord {
  const requestId = uniqueId('s3-request');
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: TEST_REGION,
    eventTime: TEST_TIME,
    eventName: 'ObjectCreated:Put',
    userIdentity: { principalId: 'AWS:TEST' },
    requestParameters: { sourceIPAddress: '127.0.0.1' },
    responseElements: { 'x-amz-request-id': requestId, 'x-amz-id-2': `${requestId}-host` },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: 'test-notification',
      bucket: { name: bucket, ownerIdentity: { principalId: 'TEST' }, arn: `arn:aws:s3:::${bucket}` },
      object: { key: encodedKey(key), size, eTag: 'd41d8cd98f00b204e9800998ecf8427e', sequencer: '0066A1B2C3D4E5F601' },
    },
  };
}

export const anS3Event = (...records: S3EventRecord[]): S3Event => ({ Records: records });
