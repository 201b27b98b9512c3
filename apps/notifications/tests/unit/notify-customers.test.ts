import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import {
  aLambdaContext,
  anOrderPlaced,
  anOrderRejected,
  anSqsEvent,
  anSqsRecord,
  anSqsRecordFromTopic,
  TEST_PAGE_CURSOR_KEY,
} from '@storefront/testing';

const dynamo = mockClient(DynamoDBDocumentClient);
let handler: typeof import('../../src/handlers/notify-customers').handler;
const context = aLambdaContext({ functionName: 'notify' });

beforeAll(async () => {
  process.env.NOTIFICATIONS_TABLE = 'notifications-test';
  process.env.PAGE_CURSOR_KEY = TEST_PAGE_CURSOR_KEY;
  handler = (await import('../../src/handlers/notify-customers')).handler;
});

beforeEach(() => dynamo.reset());

/** The order event with this id, as the orders topic delivers it to the queue. */
const orderPlaced = (messageId: string, id: string) => anSqsRecordFromTopic(anOrderPlaced({ id }), { messageId });

describe('notifyCustomers', () => {
  it('stores one notification per event, only if it is new', async () => {
    dynamo.on(PutCommand).resolves({});

    const response = await handler(anSqsEvent(orderPlaced('m1', 'e1')), context);

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

    const response = await handler(anSqsEvent(orderPlaced('m1', 'e1')), context);

    expect(response).toEqual({ batchItemFailures: [] });
  });

  it('fails only the unreadable message of a batch', async () => {
    dynamo.on(PutCommand).resolves({});
    const event = anSqsEvent(
      orderPlaced('m1', 'e1'),
      anSqsRecord('not json', { messageId: 'm2' }),
      anSqsRecordFromTopic({ type: 'OrderShipped' }, { messageId: 'm3' }),
      orderPlaced('m4', 'e4'),
    );

    const response = await handler(event, context);

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm2' }, { itemIdentifier: 'm3' }] });
    expect(dynamo.commandCalls(PutCommand)).toHaveLength(2);
  });

  // The subscription never delivers an order event customers are not told about: one that arrives means the filter and
  // the handler disagree, so it goes to the dead-letter queue rather than being acknowledged unnoticed.
  it('fails an order event customers are not told about, which it does not consume, and stores nothing', async () => {
    const rejected = anSqsRecordFromTopic(anOrderRejected({ id: 'e9' }), { messageId: 'm1' });

    const response = await handler(anSqsEvent(rejected), context);

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm1' }] });
    expect(dynamo.commandCalls(PutCommand)).toHaveLength(0);
  });

  it('fails a message whose write failed, so it is retried', async () => {
    dynamo.on(PutCommand).rejects(new Error('throttled'));

    const response = await handler(anSqsEvent(orderPlaced('m1', 'e1')), context);

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm1' }] });
  });
});
