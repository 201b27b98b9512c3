import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { aLambdaContext, anOrderReserved, anSqsEvent, anSqsRecord, anSqsRecordFromTopic, TEST_PAGE_CURSOR_KEY } from '@storefront/testing';
import { anOrderFor, timeoutRejectionOf } from '../support/events';

const dynamo = mockClient(DynamoDBDocumentClient);
let handler: typeof import('../../src/handlers/reserve-or-release-stock').handler;
const context = aLambdaContext({ functionName: 'reserve' });
/** An order event as the orders topic delivers it to the queue. */
const delivered = (messageId: string, event: { type: string }) => anSqsRecordFromTopic(event, { messageId });

beforeAll(async () => {
  process.env.INVENTORY_TABLE = 'inventory-test';
  process.env.PAGE_CURSOR_KEY = TEST_PAGE_CURSOR_KEY;
  handler = (await import('../../src/handlers/reserve-or-release-stock')).handler;
});

beforeEach(() => dynamo.reset());

describe('reserveStock', () => {
  it('reads stock and prices once, then reserves in one transaction at those prices, with the record and StockReserved v2', async () => {
    dynamo.on(BatchGetCommand).resolves({ Responses: { 'inventory-test': [{ sku: 'A', stock: 5, price: 1999, currency: 'EUR' }] } });
    dynamo.on(TransactWriteCommand).resolves({});

    const response = await handler(anSqsEvent(delivered('m1', anOrderFor([{ sku: 'A', quantity: 2 }], 'o-1'))), context);

    expect(response).toEqual({ batchItemFailures: [] });
    expect(dynamo.commandCalls(BatchGetCommand)[0]?.args[0].input.RequestItems?.['inventory-test']).toMatchObject({ ConsistentRead: true });
    const items = dynamo.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    const held = [{ sku: 'A', quantity: 2, unitPrice: 1999, currency: 'EUR' }];
    expect(items[0]?.Put?.Item).toMatchObject({ PK: 'RESERVATION#o-1', status: 'RESERVED', lines: held });
    expect(items[1]?.Update).toMatchObject({
      Key: { PK: 'PRODUCT#A' },
      ConditionExpression: 'attribute_exists(PK) AND stock >= :quantity AND price = :unitPrice AND currency = :currency',
      ExpressionAttributeValues: { ':quantity': 2, ':unitPrice': 1999, ':currency': 'EUR' },
    });
    expect(items[2]?.Put?.Item).toMatchObject({
      entityType: 'OUTBOX_EVENT',
      event: { type: 'StockReserved', version: 2, data: { lines: held } },
    });
  });

  it('releases what an order rejected by orders holds, in one transaction with StockReleased', async () => {
    const placed = anOrderFor([{ sku: 'A', quantity: 2 }], 'o-2');
    dynamo.on(GetCommand).resolves({ Item: { PK: 'RESERVATION#o-2', status: 'RESERVED', lines: placed.data.lines } });
    dynamo.on(TransactWriteCommand).resolves({});

    const response = await handler(anSqsEvent(delivered('m1', timeoutRejectionOf(placed))), context);

    expect(response).toEqual({ batchItemFailures: [] });
    const items = dynamo.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items[0]?.Update).toMatchObject({
      Key: { PK: 'RESERVATION#o-2' },
      ConditionExpression: '#status = :from',
      ExpressionAttributeValues: { ':to': 'RELEASED', ':from': 'RESERVED' },
    });
    expect(items[1]?.Update).toMatchObject({ Key: { PK: 'PRODUCT#A' }, ExpressionAttributeValues: { ':quantity': 2 } });
    expect(items[2]?.Put?.Item).toMatchObject({ event: { type: 'StockReleased', correlationId: 'watchdog-run' } });
  });

  it('records an OrderRejected that overtook its order, so the late OrderPlaced reserves nothing', async () => {
    dynamo.on(GetCommand).resolves({});
    dynamo.on(PutCommand).resolves({});

    const response = await handler(
      anSqsEvent(delivered('m1', timeoutRejectionOf(anOrderFor([{ sku: 'A', quantity: 1 }], 'o-3')))),
      context,
    );

    expect(response).toEqual({ batchItemFailures: [] });
    expect(dynamo.commandCalls(PutCommand)[0]?.args[0].input).toMatchObject({
      Item: { PK: 'RESERVATION#o-3', status: 'CANCELLED_BEFORE_DECISION' },
      ConditionExpression: 'attribute_not_exists(PK)',
    });
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('fails only the messages that are not an order event it consumes: an OrderReserved is for payments, and never delivered', async () => {
    dynamo.on(BatchGetCommand).resolves({ Responses: { 'inventory-test': [{ sku: 'A', stock: 5, price: 1999, currency: 'EUR' }] } });
    dynamo.on(TransactWriteCommand).resolves({});

    const response = await handler(
      anSqsEvent(
        delivered('m1', anOrderFor([{ sku: 'A', quantity: 1 }])),
        delivered('m2', { type: 'Nope' }),
        anSqsRecord('not json', { messageId: 'm3' }),
        delivered('m4', anOrderReserved()),
      ),
      context,
    );

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm2' }, { itemIdentifier: 'm3' }, { itemIdentifier: 'm4' }] });
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });
});
