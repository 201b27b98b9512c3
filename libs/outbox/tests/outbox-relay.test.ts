import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { OrderEvent } from '@storefront/contracts';
import { aLambdaContext, anOrderPlaced, aStreamEvent, aStreamRecord } from '@storefront/testing';
import { outboxRelay } from '../src';

const sns = mockClient(SNSClient);
const handler = outboxRelay({ schema: OrderEvent, topicArn: 'arn:aws:sns:us-east-1:000000000000:orders' });
const lambdaContext = aLambdaContext({ functionName: 'relay' });

beforeEach(() => sns.reset());

const outboxItem = (event: unknown) => ({ PK: 'ORDER#o-1', SK: 'EVENT#x', entityType: 'OUTBOX_EVENT', event });

describe('the outbox relay', () => {
  it('publishes each outbox event with its type as a message attribute', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    const event = anOrderPlaced();
    const streamEvent = aStreamEvent(aStreamRecord(outboxItem(event), { sequenceNumber: '1' }));

    const response = await handler(streamEvent, lambdaContext);

    expect(response).toEqual({ batchItemFailures: [] });
    const input = sns.commandCalls(PublishCommand)[0]?.args[0].input;
    expect(input?.TopicArn).toBe('arn:aws:sns:us-east-1:000000000000:orders');
    expect(JSON.parse(input?.Message ?? '')).toEqual(event);
    expect(input?.MessageAttributes?.eventType).toEqual({ DataType: 'String', StringValue: 'OrderPlaced' });
  });

  it('ignores order items and expiry deletions', async () => {
    const streamEvent = aStreamEvent(
      aStreamRecord({ PK: 'ORDER#o-1', SK: 'ORDER', entityType: 'ORDER' }, { sequenceNumber: '1' }),
      aStreamRecord(outboxItem({}), { sequenceNumber: '2', eventName: 'REMOVE' }),
    );

    const response = await handler(streamEvent, lambdaContext);

    expect(response).toEqual({ batchItemFailures: [] });
    expect(sns.calls()).toHaveLength(0);
  });

  it('reports a record whose publish failed, so the stream retries it', async () => {
    const [first, second] = [anOrderPlaced({ data: { orderId: 'o-1' } }), anOrderPlaced({ data: { orderId: 'o-2' } })];
    sns.on(PublishCommand).resolvesOnce({ MessageId: 'm-1' }).rejectsOnce(new Error('SNS throttled'));

    const response = await handler(
      aStreamEvent(aStreamRecord(outboxItem(first), { sequenceNumber: '1' }), aStreamRecord(outboxItem(second), { sequenceNumber: '2' })),
      lambdaContext,
    );

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: '2' }] });
  });

  it('refuses to start without a topic to publish to', () => {
    expect(() => outboxRelay({ schema: OrderEvent, topicArn: undefined })).toThrow('needs the topic ARN');
  });

  it('never publishes an event that breaks its contract', async () => {
    const event = anOrderPlaced();

    const response = await handler(
      aStreamEvent(aStreamRecord(outboxItem({ ...event, correlationId: undefined }), { sequenceNumber: '7' })),
      lambdaContext,
    );

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: '7' }] });
    expect(sns.calls()).toHaveLength(0);
  });
});
