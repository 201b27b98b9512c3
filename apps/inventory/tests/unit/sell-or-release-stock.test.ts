import { DynamoDBDocumentClient, GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { aLambdaContext, anSqsEvent, anSqsRecord, anSqsRecordFromTopic, aPaymentRefunded, TEST_PAGE_CURSOR_KEY } from '@storefront/testing';
import { anOrderFor, captureOf, paymentFailureOf } from '../support/events';

const dynamo = mockClient(DynamoDBDocumentClient);
let handler: typeof import('../../src/handlers/sell-or-release-stock').handler;
const context = aLambdaContext({ functionName: 'sellOrReleaseStock' });
const placed = anOrderFor([{ sku: 'A', quantity: 2 }], 'o-1');
const held = { PK: 'RESERVATION#o-1', status: 'RESERVED', lines: [{ sku: 'A', quantity: 2, unitPrice: 1999, currency: 'EUR' }] };
/** A payment event as the payments topic delivers it to the queue. */
const delivered = (event: { type: string }, messageId = 'm1') => anSqsRecordFromTopic(event, { messageId });

beforeAll(async () => {
  process.env.INVENTORY_TABLE = 'inventory-test';
  process.env.PAGE_CURSOR_KEY = TEST_PAGE_CURSOR_KEY;
  handler = (await import('../../src/handlers/sell-or-release-stock')).handler;
});

beforeEach(() => dynamo.reset());

describe('sellOrReleaseStock', () => {
  it('sells what a paid order holds in one transaction: the record to SOLD while still RESERVED, reserved to sold, no event', async () => {
    dynamo.on(GetCommand).resolves({ Item: held });
    dynamo.on(TransactWriteCommand).resolves({});

    const response = await handler(anSqsEvent(delivered(captureOf(placed))), context);

    expect(response).toEqual({ batchItemFailures: [] });
    const items = dynamo.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items).toHaveLength(2);
    expect(items[0]?.Update).toMatchObject({
      Key: { PK: 'RESERVATION#o-1' },
      ConditionExpression: '#status = :reserved',
      ExpressionAttributeValues: { ':to': 'SOLD', ':by': 'captured-o-1' },
    });
    expect(items[1]?.Update).toMatchObject({
      Key: { PK: 'PRODUCT#A' },
      UpdateExpression: 'SET reserved = reserved - :quantity, sold = if_not_exists(sold, :zero) + :quantity',
      ExpressionAttributeValues: { ':quantity': 2 },
    });
  });

  it('releases what an order whose payment failed holds, with StockReleased in the same transaction', async () => {
    dynamo.on(GetCommand).resolves({ Item: held });
    dynamo.on(TransactWriteCommand).resolves({});

    await handler(anSqsEvent(delivered(paymentFailureOf(placed))), context);

    const items = dynamo.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items[0]?.Update?.ExpressionAttributeValues).toMatchObject({ ':to': 'RELEASED' });
    expect(items[1]?.Update?.UpdateExpression).toBe('SET stock = stock + :quantity, reserved = reserved - :quantity');
    expect(items[2]?.Put?.Item?.event).toMatchObject({
      type: 'StockReleased',
      data: { orderId: 'o-1', lines: [{ sku: 'A', quantity: 2 }] },
    });
  });

  it.each(['RELEASED', 'SOLD'])('changes nothing when the hold already ended (%s)', async (status) => {
    dynamo.on(GetCommand).resolves({ Item: { ...held, status } });

    await handler(anSqsEvent(delivered(captureOf(placed), 'm1'), delivered(paymentFailureOf(placed), 'm2')), context);

    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(0);
    expect(dynamo.commandCalls(PutCommand)).toHaveLength(0);
  });

  it('writes nothing for a capture of an order it holds nothing for', async () => {
    dynamo.on(GetCommand).resolves({});

    const response = await handler(anSqsEvent(delivered(captureOf(placed))), context);

    expect(response).toEqual({ batchItemFailures: [] });
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(0);
    expect(dynamo.commandCalls(PutCommand)).toHaveLength(0);
  });

  it('acknowledges a PaymentRefunded, which holds no stock, and fails only the unreadable message', async () => {
    const response = await handler(anSqsEvent(delivered(aPaymentRefunded(), 'm1'), anSqsRecord('not json', { messageId: 'm2' })), context);

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm2' }] });
    expect(dynamo.calls()).toHaveLength(0);
  });
});
