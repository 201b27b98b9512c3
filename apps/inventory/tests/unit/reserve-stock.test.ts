import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { anOrderPlaced, anOrderRejected } from '../support/events';
import { TEST_PAGE_CURSOR_KEY } from '@storefront/testing';

const dynamo = mockClient(DynamoDBDocumentClient);
let handler: typeof import('../../src/handlers/reserve-or-release-stock').handler;
const context = { functionName: 'reserve', awsRequestId: 'r-1' } as Context;
const message = (messageId: string, body: unknown) =>
  ({
    messageId,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    receiptHandle: messageId,
    attributes: {},
    messageAttributes: {},
  }) as unknown as SQSRecord;

beforeAll(async () => {
  process.env.INVENTORY_TABLE = 'inventory-test';
  process.env.PAGE_CURSOR_KEY = TEST_PAGE_CURSOR_KEY;
  handler = (await import('../../src/handlers/reserve-or-release-stock')).handler;
});

beforeEach(() => dynamo.reset());

describe('reserveStock', () => {
  it('reserves, in one transaction, the stock of a placed order with its reservation record and event', async () => {
    dynamo.on(TransactWriteCommand).resolves({});

    const response = await handler({ Records: [message('m1', anOrderPlaced([{ sku: 'A', quantity: 2 }], 'o-1'))] } as SQSEvent, context);

    expect(response).toEqual({ batchItemFailures: [] });
    const items = dynamo.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items[0]?.Put?.Item).toMatchObject({ PK: 'RESERVATION#o-1', status: 'RESERVED' });
    expect(items[1]?.Update).toMatchObject({
      Key: { PK: 'PRODUCT#A' },
      ConditionExpression: 'attribute_exists(PK) AND stock >= :quantity',
      ExpressionAttributeValues: { ':quantity': 2 },
    });
    expect(items[2]?.Put?.Item).toMatchObject({ entityType: 'OUTBOX_EVENT', event: { type: 'StockReserved' } });
    expect(dynamo.commandCalls(BatchGetCommand)).toHaveLength(0);
  });

  it('releases what an order rejected by orders holds, in one transaction with StockReleased', async () => {
    const placed = anOrderPlaced([{ sku: 'A', quantity: 2 }], 'o-2');
    dynamo.on(GetCommand).resolves({ Item: { PK: 'RESERVATION#o-2', status: 'RESERVED', lines: placed.data.lines } });
    dynamo.on(TransactWriteCommand).resolves({});

    const response = await handler({ Records: [message('m1', anOrderRejected(placed))] } as SQSEvent, context);

    expect(response).toEqual({ batchItemFailures: [] });
    const items = dynamo.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items[0]?.Update).toMatchObject({ Key: { PK: 'RESERVATION#o-2' }, ExpressionAttributeValues: { ':released': 'RELEASED' } });
    expect(items[1]?.Update).toMatchObject({ Key: { PK: 'PRODUCT#A' }, ExpressionAttributeValues: { ':quantity': 2 } });
    expect(items[2]?.Put?.Item).toMatchObject({ event: { type: 'StockReleased', correlationId: 'watchdog-run' } });
  });

  it('records an OrderRejected that overtook its order, so the late OrderPlaced reserves nothing', async () => {
    dynamo.on(GetCommand).resolves({});
    dynamo.on(PutCommand).resolves({});

    const response = await handler(
      { Records: [message('m1', anOrderRejected(anOrderPlaced([{ sku: 'A', quantity: 1 }], 'o-3')))] } as SQSEvent,
      context,
    );

    expect(response).toEqual({ batchItemFailures: [] });
    expect(dynamo.commandCalls(PutCommand)[0]?.args[0].input).toMatchObject({
      Item: { PK: 'RESERVATION#o-3', status: 'CANCELLED_BEFORE_DECISION' },
      ConditionExpression: 'attribute_not_exists(PK)',
    });
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('fails only the message that is not an order event', async () => {
    dynamo.on(TransactWriteCommand).resolves({});

    const response = await handler(
      {
        Records: [message('m1', anOrderPlaced([{ sku: 'A', quantity: 1 }])), message('m2', '{"type":"Nope"}'), message('m3', 'not json')],
      } as SQSEvent,
      context,
    );

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm2' }, { itemIdentifier: 'm3' }] });
  });
});
