import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import type { Context } from 'aws-lambda';
import { OrderEvent, type OrderPlacedV1 } from '@storefront/contracts';
import { outboxRelay } from '../src';

const sns = mockClient(SNSClient);
const handler = outboxRelay({ schema: OrderEvent, topicArn: 'arn:aws:sns:us-east-1:000000000000:orders' });
const lambdaContext = { functionName: 'relay', awsRequestId: 'r-1' } as Context;
let sequence = 0;

function anOrderPlaced(): { event: OrderPlacedV1 } {
  sequence += 1;
  return {
    event: {
      id: `evt-${sequence}`,
      type: 'OrderPlaced',
      version: 1,
      occurredAt: '2026-03-01T10:00:00.000Z',
      source: 'storefront.orders',
      correlationId: 'corr-1',
      data: { orderId: `o-${sequence}`, customerId: 'c-1', currency: 'EUR', lines: [{ sku: 'SKU-1', quantity: 1 }] },
    },
  };
}

beforeEach(() => sns.reset());

function streamRecord(sequence: string, item: Record<string, unknown>, eventName: DynamoDBRecord['eventName'] = 'INSERT'): DynamoDBRecord {
  return {
    eventID: sequence,
    eventName,
    eventSource: 'aws:dynamodb',
    dynamodb: { SequenceNumber: sequence, NewImage: marshall(item, { removeUndefinedValues: true }) as never },
  };
}

const outboxItem = (event: unknown) => ({ PK: 'ORDER#o-1', SK: 'EVENT#x', entityType: 'OUTBOX_EVENT', event });

describe('the outbox relay', () => {
  it('publishes each outbox event with its type as a message attribute', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    const { event } = anOrderPlaced();
    const streamEvent: DynamoDBStreamEvent = { Records: [streamRecord('1', outboxItem(event))] };

    const response = await handler(streamEvent, lambdaContext);

    expect(response).toEqual({ batchItemFailures: [] });
    const input = sns.commandCalls(PublishCommand)[0]?.args[0].input;
    expect(input?.TopicArn).toBe('arn:aws:sns:us-east-1:000000000000:orders');
    expect(JSON.parse(input?.Message ?? '')).toEqual(event);
    expect(input?.MessageAttributes?.eventType).toEqual({ DataType: 'String', StringValue: 'OrderPlaced' });
  });

  it('ignores order items and expiry deletions', async () => {
    const streamEvent: DynamoDBStreamEvent = {
      Records: [streamRecord('1', { PK: 'ORDER#o-1', SK: 'ORDER', entityType: 'ORDER' }), streamRecord('2', outboxItem({}), 'REMOVE')],
    };

    const response = await handler(streamEvent, lambdaContext);

    expect(response).toEqual({ batchItemFailures: [] });
    expect(sns.calls()).toHaveLength(0);
  });

  it('reports a record whose publish failed, so the stream retries it', async () => {
    const first = anOrderPlaced().event;
    const second = anOrderPlaced().event;
    sns.on(PublishCommand).resolvesOnce({ MessageId: 'm-1' }).rejectsOnce(new Error('SNS throttled'));

    const response = await handler(
      { Records: [streamRecord('1', outboxItem(first)), streamRecord('2', outboxItem(second))] },
      lambdaContext,
    );

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: '2' }] });
  });

  it('refuses to start without a topic to publish to', () => {
    expect(() => outboxRelay({ schema: OrderEvent, topicArn: undefined })).toThrow('needs the topic ARN');
  });

  it('never publishes an event that breaks its contract', async () => {
    const { event } = anOrderPlaced();

    const response = await handler({ Records: [streamRecord('7', outboxItem({ ...event, correlationId: undefined }))] }, lambdaContext);

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: '7' }] });
    expect(sns.calls()).toHaveLength(0);
  });
});
