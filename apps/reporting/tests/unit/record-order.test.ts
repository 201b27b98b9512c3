import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { aLambdaContext, anOrderPlaced, anSqsEvent, anSqsRecord, anSqsRecordFromTopic } from '@storefront/testing';

const dynamo = mockClient(DynamoDBDocumentClient);
let handler: typeof import('../../src/handlers/record-order').handler;
const context = aLambdaContext({ functionName: 'recordOrder' });

beforeAll(async () => {
  process.env.ORDER_RECORDS_TABLE = 'reporting-test';
  handler = (await import('../../src/handlers/record-order')).handler;
});

beforeEach(() => dynamo.reset());

/** A placed order as the orders topic delivers it to the queue. */
const placed = (messageId: string, orderId: string) => anSqsRecordFromTopic(anOrderPlaced({ data: { orderId } }), { messageId });

describe('recordOrder', () => {
  it('records each placed order once, and fails only the unreadable message of a batch', async () => {
    dynamo.on(PutCommand).resolves({});

    const response = await handler(
      anSqsEvent(placed('m1', 'o-1'), anSqsRecord('not json', { messageId: 'm2' }), placed('m3', 'o-3')),
      context,
    );

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm2' }] });
    expect(dynamo.commandCalls(PutCommand).map((call) => call.args[0].input)).toMatchObject([
      { TableName: 'reporting-test', Item: { PK: 'ORDER#o-1', units: 2 }, ConditionExpression: 'attribute_not_exists(PK)' },
      { Item: { PK: 'ORDER#o-3' } },
    ]);
  });

  it('treats a redelivered order as done', async () => {
    dynamo.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: 'exists', $metadata: {} }));

    const response = await handler(anSqsEvent(placed('m1', 'o-1')), context);

    expect(response).toEqual({ batchItemFailures: [] });
  });
});
