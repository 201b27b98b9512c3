import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { aLambdaContext, anSqsEvent, anSqsRecord, anSqsRecordFromTopic, TEST_PAGE_CURSOR_KEY } from '@storefront/testing';
import { anOrderFor, captureOf, paymentFailureOf, refundOf } from '../support/events';

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

const firstTransaction = () => dynamo.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];

/** The handler wrote one transaction: the record's status change while still `from`, the held line's units moved, then `rest`. */
function expectHoldEnded(record: { from: string; to: string; by: string; byAttribute: string }, units: string, rest: unknown[]) {
  const items = firstTransaction();
  expect(items).toHaveLength(2 + rest.length);
  expect(items.slice(2)).toEqual(rest);
  expect(items[0]?.Update).toMatchObject({
    Key: { PK: 'RESERVATION#o-1' },
    ConditionExpression: '#status = :from',
    ExpressionAttributeNames: { '#status': 'status', '#by': record.byAttribute },
    ExpressionAttributeValues: { ':to': record.to, ':from': record.from, ':by': record.by },
  });
  expect(items[1]?.Update).toMatchObject({
    Key: { PK: 'PRODUCT#A' },
    UpdateExpression: units,
    ExpressionAttributeValues: { ':quantity': 2 },
  });
}

describe('sellOrReleaseStock', () => {
  it('sells what a paid order holds in one transaction: the record to SOLD while still RESERVED, reserved to sold, no event', async () => {
    dynamo.on(GetCommand).resolves({ Item: held });
    dynamo.on(TransactWriteCommand).resolves({});

    const response = await handler(anSqsEvent(delivered(captureOf(placed))), context);

    expect(response).toEqual({ batchItemFailures: [] });
    expectHoldEnded(
      { from: 'RESERVED', to: 'SOLD', by: 'captured-o-1', byAttribute: 'endedBy' },
      'SET reserved = reserved - :quantity, sold = if_not_exists(sold, :zero) + :quantity',
      [],
    );
  });

  it('releases what an order whose payment failed holds, with StockReleased in the same transaction', async () => {
    dynamo.on(GetCommand).resolves({ Item: held });
    dynamo.on(TransactWriteCommand).resolves({});

    await handler(anSqsEvent(delivered(paymentFailureOf(placed))), context);

    const items = firstTransaction();
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

  it('puts what a refunded order bought back in stock in one transaction: the record SOLD to RESTOCKED, sold to stock, StockReleased', async () => {
    dynamo.on(GetCommand).resolves({ Item: { ...held, status: 'SOLD', endedBy: 'captured-o-1' } });
    dynamo.on(TransactWriteCommand).resolves({});

    const response = await handler(anSqsEvent(delivered(refundOf(placed))), context);

    expect(response).toEqual({ batchItemFailures: [] });
    // The capture that sold the units stays on the record as endedBy; the refund goes beside it.
    expectHoldEnded(
      { from: 'SOLD', to: 'RESTOCKED', by: 'refunded-o-1', byAttribute: 'restockedBy' },
      'SET stock = stock + :quantity, sold = sold - :quantity',
      [
        {
          Put: expect.objectContaining({
            Item: expect.objectContaining({
              entityType: 'OUTBOX_EVENT',
              event: expect.objectContaining({
                type: 'StockReleased',
                correlationId: refundOf(placed).correlationId,
                data: { orderId: 'o-1', lines: [{ sku: 'A', quantity: 2 }] },
              }),
            }),
          }),
        },
      ],
    );
  });

  it('releases what a refunded order still holds (the refund overtook its capture), with StockReleased', async () => {
    dynamo.on(GetCommand).resolves({ Item: held });
    dynamo.on(TransactWriteCommand).resolves({});

    await handler(anSqsEvent(delivered(refundOf(placed))), context);

    const items = firstTransaction();
    expect(items[0]?.Update?.ExpressionAttributeValues).toMatchObject({ ':to': 'RELEASED', ':from': 'RESERVED' });
    expect(items[1]?.Update?.UpdateExpression).toBe('SET stock = stock + :quantity, reserved = reserved - :quantity');
    expect(items[2]?.Put?.Item?.event).toMatchObject({ type: 'StockReleased', correlationId: refundOf(placed).correlationId });
  });

  it('reads again and restocks when the capture sold the units between the refund reading them held and releasing them', async () => {
    dynamo
      .on(GetCommand)
      .resolvesOnce({ Item: held })
      .resolves({ Item: { ...held, status: 'SOLD' } });
    dynamo
      .on(TransactWriteCommand)
      .rejectsOnce(
        new TransactionCanceledException({
          message: 'cancelled',
          $metadata: {},
          CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }, { Code: 'None' }],
        }),
      )
      .resolves({});

    const response = await handler(anSqsEvent(delivered(refundOf(placed))), context);

    expect(response).toEqual({ batchItemFailures: [] });
    const attempts = dynamo
      .commandCalls(TransactWriteCommand)
      .map((call) => call.args[0].input.TransactItems?.[0]?.Update?.ExpressionAttributeValues);
    expect(attempts).toEqual([
      expect.objectContaining({ ':from': 'RESERVED', ':to': 'RELEASED' }),
      expect.objectContaining({ ':from': 'SOLD', ':to': 'RESTOCKED' }),
    ]);
  });

  it('records a refund that overtook its order, so the late OrderPlaced reserves nothing', async () => {
    dynamo.on(GetCommand).resolves({});
    dynamo.on(PutCommand).resolves({});

    await handler(anSqsEvent(delivered(refundOf(placed))), context);

    expect(dynamo.commandCalls(PutCommand)[0]?.args[0].input).toMatchObject({
      Item: { PK: 'RESERVATION#o-1', status: 'CANCELLED_BEFORE_DECISION' },
      ConditionExpression: 'attribute_not_exists(PK)',
    });
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it.each(['RELEASED', 'RESTOCKED', 'REJECTED'])('changes nothing for a refund when the units are already back (%s)', async (status) => {
    dynamo.on(GetCommand).resolves({ Item: { ...held, status } });

    const response = await handler(anSqsEvent(delivered(refundOf(placed))), context);

    expect(response).toEqual({ batchItemFailures: [] });
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(0);
    expect(dynamo.commandCalls(PutCommand)).toHaveLength(0);
  });

  it('fails only the message that is not a payment event', async () => {
    dynamo.on(GetCommand).resolves({ Item: { ...held, status: 'RELEASED' } });

    const response = await handler(anSqsEvent(delivered(refundOf(placed), 'm1'), anSqsRecord('not json', { messageId: 'm2' })), context);

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm2' }] });
  });
});
