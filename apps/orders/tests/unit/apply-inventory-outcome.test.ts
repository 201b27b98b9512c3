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
  it('moves a pending order to RESERVED with its total when inventory held its stock, OrderReserved in the same transaction', async () => {
    dynamo.on(GetCommand).resolves({ Item: aStoredOrder({ status: 'PENDING' }) });
    dynamo.on(TransactWriteCommand).resolves({});

    const response = await handler(
      anSqsEvent(anSqsRecordFromTopic(aStockReserved({ data: { orderId: 'o-1' } }), { messageId: 'm1' })),
      context,
    );

    expect(response).toEqual({ batchItemFailures: [] });
    const [update, outbox] = dynamo.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(update?.Update).toMatchObject({
      Key: { PK: 'ORDER#o-1' },
      ConditionExpression: '#status = :expected',
      ExpressionAttributeValues: { ':status': 'RESERVED', ':expected': 'PENDING', ':total': { amount: 3998, currency: 'EUR' } },
    });
    expect(outbox?.Put?.Item).toMatchObject({
      entityType: 'OUTBOX_EVENT',
      event: { type: 'OrderReserved', data: { orderId: 'o-1', amount: 3998, currency: 'EUR', paymentMethod: 'pm_card_visa' } },
    });
  });

  it('rejects the order for CURRENCY_MISMATCH when inventory priced a line in another currency, OrderRejected in the same transaction', async () => {
    dynamo.on(GetCommand).resolves({ Item: aStoredOrder({ status: 'PENDING', currency: 'EUR' }) });
    dynamo.on(TransactWriteCommand).resolves({});
    const inDollars = aStockReserved({
      data: { orderId: 'o-1', lines: [{ sku: 'SKU-1', quantity: 2, unitPrice: 2199, currency: 'USD' }] },
    });

    const response = await handler(anSqsEvent(anSqsRecordFromTopic(inDollars, { messageId: 'm1' })), context);

    expect(response).toEqual({ batchItemFailures: [] });
    const [update, outbox] = dynamo.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(update?.Update?.ExpressionAttributeValues).toMatchObject({ ':status': 'REJECTED', ':statusReason': 'CURRENCY_MISMATCH' });
    expect(outbox?.Put?.Item?.event).toMatchObject({
      type: 'OrderRejected',
      data: { reason: 'CURRENCY_MISMATCH', previousStatus: 'PENDING' },
    });
  });

  // The subscription never delivers a StockReleased (it changes no order): one that arrives means the filter and the
  // handler disagree, so it goes to the dead-letter queue like an unreadable message rather than being acknowledged.
  it('fails a StockReleased, which it does not consume, as it fails an unreadable message, and reads no order for either', async () => {
    const response = await handler(
      anSqsEvent(
        anSqsRecordFromTopic(aStockReleased({ data: { orderId: 'o-1' } }), { messageId: 'm1' }),
        anSqsRecord('not json', { messageId: 'm2' }),
      ),
      context,
    );

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm1' }, { itemIdentifier: 'm2' }] });
    expect(dynamo.calls()).toHaveLength(0);
  });
});
