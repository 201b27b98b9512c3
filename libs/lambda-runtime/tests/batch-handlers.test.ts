import { aLambdaContext, anSqsEvent, anSqsRecord, aStreamEvent, aStreamRecord } from '@storefront/testing';
import { dynamoStreamHandler, sqsBatchHandler } from '../src';

const lambdaContext = aLambdaContext();
const sqsRecord = (messageId: string, body: string) => anSqsRecord(body, { messageId });
const streamRecord = (sequenceNumber: string) => aStreamRecord({}, { sequenceNumber });

describe('sqsBatchHandler', () => {
  it('reports only the failed messages of a batch', async () => {
    const seen: string[] = [];
    const handler = sqsBatchHandler(async (record) => {
      seen.push(record.messageId);
      if (record.body === 'poison') throw new Error('cannot handle');
    });
    const event = anSqsEvent(sqsRecord('m1', 'ok'), sqsRecord('m2', 'poison'), sqsRecord('m3', 'ok'));

    const response = await handler(event, lambdaContext);

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm2' }] });
    expect(seen).toEqual(['m1', 'm2', 'm3']);
  });

  it('reports nothing when every message succeeds', async () => {
    const handler = sqsBatchHandler(async () => undefined);

    const response = await handler(anSqsEvent(sqsRecord('m1', 'ok')), lambdaContext);

    expect(response).toEqual({ batchItemFailures: [] });
  });
});

describe('dynamoStreamHandler', () => {
  it('reports a failed stream record by its sequence number', async () => {
    const handler = dynamoStreamHandler(async (record) => {
      if (record.dynamodb?.SequenceNumber === '200') throw new Error('publish failed');
    });
    const event = aStreamEvent(streamRecord('100'), streamRecord('200'));

    const response = await handler(event, lambdaContext);

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: '200' }] });
  });
});

describe('a batch in which every record fails', () => {
  it('is reported record by record instead of thrown', async () => {
    const handler = sqsBatchHandler(async () => {
      throw new Error('downstream unavailable');
    });

    const response = await handler(anSqsEvent(sqsRecord('m1', 'a'), sqsRecord('m2', 'b')), lambdaContext);

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm1' }, { itemIdentifier: 'm2' }] });
  });
});
