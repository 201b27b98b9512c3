import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import {
  aLambdaContext,
  anSqsEvent,
  anSqsRecord,
  anSqsRecordFromTopic,
  aStockReleased,
  aStockReserved,
  TEST_PAGE_CURSOR_KEY,
} from '@storefront/testing';
import { aStoredOrder } from '../support/builders';

const dynamo = mockClient(DynamoDBDocumentClient);
let handler: typeof import('../../src/handlers/apply-inventory-outcome').handler;
const context = aLambdaContext({ functionName: 'applyInventoryOutcome' });

beforeAll(async () => {
  process.env.ORDERS_TABLE = 'orders-test';
  process.env.PAGE_CURSOR_KEY = TEST_PAGE_CURSOR_KEY;
  handler = (await import('../../src/handlers/apply-inventory-outcome')).handler;
});

beforeEach(() => dynamo.reset());

describe('applyInventoryOutcome', () => {
  it('moves a pending order to RESERVED when inventory held its stock', async () => {
    dynamo.on(GetCommand).resolves({ Item: aStoredOrder({ status: 'PENDING' }) });
    dynamo.on(TransactWriteCommand).resolves({});

    const response = await handler(
      anSqsEvent(anSqsRecordFromTopic(aStockReserved({ data: { orderId: 'o-1' } }), { messageId: 'm1' })),
      context,
    );

    expect(response).toEqual({ batchItemFailures: [] });
    const update = dynamo.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems?.[0]?.Update;
    expect(update).toMatchObject({
      Key: { PK: 'ORDER#o-1' },
      ExpressionAttributeValues: { ':status': 'RESERVED', ':expected': 'PENDING' },
    });
  });

  it('acknowledges a StockReleased, which changes no order, and fails only the unreadable message', async () => {
    const response = await handler(
      anSqsEvent(
        anSqsRecordFromTopic(aStockReleased({ data: { orderId: 'o-1' } }), { messageId: 'm1' }),
        anSqsRecord('not json', { messageId: 'm2' }),
      ),
      context,
    );

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm2' }] });
    expect(dynamo.calls()).toHaveLength(0);
  });
});
