import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { s3NotificationHandler } from '../src/event-sources/s3-source.ts';
import type { Invocation, Invoke } from '../src/common/types.ts';

const s3 = mockClient(S3Client);
const importsBucket = {
  name: 'imports',
  properties: {
    NotificationConfiguration: {
      LambdaConfigurations: [
        {
          Event: 's3:ObjectCreated:*',
          Function: 'arn:aws:lambda:us-east-1:000000000000:function:inventory-importStock',
          Filter: {
            S3Key: {
              Rules: [
                { Name: 'prefix', Value: 'stock/' },
                { Name: 'suffix', Value: '.csv' },
              ],
            },
          },
        },
      ],
    },
  },
};

async function until(condition: () => boolean) {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('the condition was not met within 5 s');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function handlerAnswering(...answers: Invocation[]) {
  const invoke = jest.fn<ReturnType<Invoke>, Parameters<Invoke>>(async () => answers.shift() ?? { ok: true });
  const log = jest.fn();
  const onWrite = s3NotificationHandler({ buckets: [importsBucket], s3: s3 as unknown as S3Client, invoke, region: 'us-east-1', log });
  return { onWrite, invoke, log };
}

beforeEach(() => {
  s3.reset();
  s3.on(HeadObjectCommand).resolves({ ContentLength: 42, ETag: '"etag-1"' });
});

describe('S3 notifications to Lambda', () => {
  it('invokes the configured function with an ObjectCreated record for a matching key', async () => {
    const { onWrite, invoke } = handlerAnswering();

    onWrite({ service: 's3', status: 'uploaded', bucket: 'imports', key: 'stock/2026 11.csv' });
    await until(() => invoke.mock.calls.length > 0);

    expect(invoke).toHaveBeenCalledWith('inventory-importStock', {
      Records: [
        expect.objectContaining({
          eventSource: 'aws:s3',
          eventName: 'ObjectCreated:Put',
          awsRegion: 'us-east-1',
          s3: expect.objectContaining({
            bucket: { name: 'imports', arn: 'arn:aws:s3:::imports' },
            object: { key: 'stock/2026%2011.csv', size: 42, eTag: 'etag-1' },
          }),
        }),
      ],
    });
  });

  it('ignores keys outside the filter, other buckets and other services', async () => {
    const { onWrite, invoke } = handlerAnswering();

    onWrite({ service: 's3', status: 'uploaded', bucket: 'imports', key: 'results/today.csv' });
    onWrite({ service: 's3', status: 'uploaded', bucket: 'imports', key: 'stock/today.txt' });
    onWrite({ service: 's3', status: 'uploaded', bucket: 'exports', key: 'stock/today.csv' });
    onWrite({ service: 'sqs', status: 'published', bucket: 'imports', key: 'stock/today.csv' });
    // A matching write afterwards shows the ones before it were looked at and dropped.
    onWrite({ service: 's3', status: 'copied', bucket: 'imports', key: 'stock/last.csv' });
    await until(() => invoke.mock.calls.length > 0);

    expect(invoke).toHaveBeenCalledTimes(1);
    expect(invoke.mock.calls[0]?.[1]).toEqual({
      Records: [expect.objectContaining({ s3: expect.objectContaining({ object: expect.objectContaining({ key: 'stock/last.csv' }) }) })],
    });
  });

  it('tries a failed invocation again, as Lambda retries an asynchronous event', async () => {
    const { onWrite, invoke, log } = handlerAnswering({ ok: false }, { ok: true });

    onWrite({ service: 's3', status: 'uploaded', bucket: 'imports', key: 'stock/today.csv' });
    await until(() => invoke.mock.calls.length === 2);

    expect(log).toHaveBeenCalledWith('inventory-importStock: S3 event for imports/stock/today.csv failed (attempt 1 of 3)');
  });
});
