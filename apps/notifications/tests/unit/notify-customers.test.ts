import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { TEST_PAGE_CURSOR_KEY } from '@storefront/testing';

const dynamo = mockClient(DynamoDBDocumentClient);
let handler: typeof import('../../src/handlers/notify-customers').handler;
const context = { functionName: 'notify', awsRequestId: 'r-1' } as Context;

beforeAll(async () => {
  process.env.NOTIFICATIONS_TABLE = 'notifications-test';
  process.env.PAGE_CURSOR_KEY = TEST_PAGE_CURSOR_KEY;
  handler = (await import('../../src/handlers/notify-customers')).handler;
});

beforeEach(() => dynamo.reset());

const orderPlaced = (id: string) =>
  JSON.stringify({
    id,
    type: 'OrderPlaced',
    version: 1,
    occurredAt: '2026-03-01T10:00:00.000Z',
    source: 'storefront.orders',
    correlationId: 'corr-1',
    data: { orderId: `order-${id}`, customerId: 'c-1', currency: 'EUR', lines: [{ sku: 'A', quantity: 1 }] },
  });

const message = (messageId: string, body: string) =>
  ({ messageId, body, receiptHandle: messageId, attributes: {}, messageAttributes: {} }) as unknown as SQSRecord;

describe('notifyCustomers', () => {
  it('stores one notification per event, only if it is new', async () => {
    dynamo.on(PutCommand).resolves({});

    const response = await handler({ Records: [message('m1', orderPlaced('e1'))] } as SQSEvent, context);

    expect(response).toEqual({ batchItemFailures: [] });
    const put = dynamo.commandCalls(PutCommand)[0]?.args[0].input;
    expect(put).toMatchObject({
      TableName: 'notifications-test',
      ConditionExpression: 'attribute_not_exists(PK)',
      Item: { notificationId: 'e1', kind: 'ORDER_CONFIRMATION' },
    });
  });

  it('treats a redelivered event as done', async () => {
    dynamo.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: 'exists', $metadata: {} }));

    const response = await handler({ Records: [message('m1', orderPlaced('e1'))] } as SQSEvent, context);

    expect(response).toEqual({ batchItemFailures: [] });
  });

  it('fails only the unreadable message of a batch', async () => {
    dynamo.on(PutCommand).resolves({});
    const event = {
      Records: [
        message('m1', orderPlaced('e1')),
        message('m2', 'not json'),
        message('m3', '{"type":"OrderShipped"}'),
        message('m4', orderPlaced('e4')),
      ],
    } as SQSEvent;

    const response = await handler(event, context);

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm2' }, { itemIdentifier: 'm3' }] });
    expect(dynamo.commandCalls(PutCommand)).toHaveLength(2);
  });

  it('acknowledges an order event customers are not told about, and stores nothing', async () => {
    const rejected = JSON.stringify({
      id: 'e9',
      type: 'OrderRejected',
      version: 1,
      occurredAt: '2026-03-01T10:15:00.000Z',
      source: 'storefront.orders',
      correlationId: 'corr-1',
      data: { orderId: 'order-e9', customerId: 'c-1', previousStatus: 'PENDING', reason: 'RESERVATION_TIMEOUT' },
    });

    const response = await handler({ Records: [message('m1', rejected)] } as SQSEvent, context);

    expect(response).toEqual({ batchItemFailures: [] });
    expect(dynamo.commandCalls(PutCommand)).toHaveLength(0);
  });

  it('fails a message whose write failed, so it is retried', async () => {
    dynamo.on(PutCommand).rejects(new Error('throttled'));

    const response = await handler({ Records: [message('m1', orderPlaced('e1'))] } as SQSEvent, context);

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm1' }] });
  });
});
