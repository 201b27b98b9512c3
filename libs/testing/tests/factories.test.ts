import { unmarshall } from '@aws-sdk/util-dynamodb';
import { InventoryEvent, OrderEvent, parseWith, PaymentEvent } from '@storefront/contracts';
import {
  anHttpApiEvent,
  anOrderCancelled,
  anOrderPlaced,
  anOrderRejected,
  anOrderReserved,
  anS3Record,
  anSqsRecord,
  anSqsRecordFromTopic,
  aPaymentCaptured,
  aPaymentFailed,
  aPaymentRefunded,
  aStockRejected,
  aStockReleased,
  aStockReserved,
  aStreamRecord,
} from '../src';

/** What a consumer reads: the JSON that travelled, not the object. */
const overTheWire = (event: unknown) => JSON.parse(JSON.stringify(event));

describe('the event fixtures', () => {
  it.each([anOrderPlaced, anOrderReserved, anOrderCancelled, anOrderRejected])(
    'build an order event its contract accepts (%p)',
    (fixture) => {
      const event = fixture();

      expect(parseWith(OrderEvent, overTheWire(event))).toEqual({ success: true, data: event });
    },
  );

  it.each([aStockReserved, aStockRejected, aStockReleased])('build an inventory event its contract accepts (%p)', (fixture) => {
    const event = fixture();

    expect(parseWith(InventoryEvent, overTheWire(event))).toEqual({ success: true, data: event });
  });

  it.each([aPaymentCaptured, aPaymentFailed, aPaymentRefunded])('build a payment event its contract accepts (%p)', (fixture) => {
    const event = fixture();

    expect(parseWith(PaymentEvent, overTheWire(event))).toEqual({ success: true, data: event });
  });

  it('build StockReserved at the version inventory produces, every line priced', () => {
    expect(aStockReserved()).toMatchObject({
      version: 2,
      data: { lines: [{ sku: 'SKU-1', quantity: 2, unitPrice: 1999, currency: 'EUR' }] },
    });
  });

  it('replace the envelope fields and the data fields a test names, and keep the rest', () => {
    const event = anOrderPlaced({ correlationId: 'corr-9', data: { orderId: 'o-9' } });

    expect(event).toMatchObject({ type: 'OrderPlaced', correlationId: 'corr-9', data: { orderId: 'o-9', customerId: 'customer-1' } });
    expect(event.data.lines).toEqual([{ sku: 'SKU-1', quantity: 2 }]);
  });

  it('give every event an id of its own and every fixture its own lines', () => {
    const [first, second] = [anOrderPlaced(), anOrderPlaced()];
    first.data.lines.push({ sku: 'SKU-2', quantity: 1 });

    expect(first.id).not.toBe(second.id);
    expect(second.data.lines).toHaveLength(1);
  });
});

describe('the trigger factories', () => {
  it('send an SQS body that is not a string as its JSON', () => {
    expect(anSqsRecord({ a: 1 }).body).toBe('{"a":1}');
    expect(anSqsRecord('not json').body).toBe('not json');
  });

  it('deliver a topic event with its type as the eventType attribute, as raw delivery does', () => {
    const event = anOrderPlaced();

    const record = anSqsRecordFromTopic(event, { messageId: 'm1' });

    expect(JSON.parse(record.body)).toEqual(event);
    expect(record.messageId).toBe('m1');
    expect(record.messageAttributes.eventType).toMatchObject({ dataType: 'String', stringValue: 'OrderPlaced' });
  });

  it('put an item on a stream record marshalled as its new image, keyed by PK and SK', () => {
    const item = { PK: 'ORDER#o-1', SK: 'ORDER', total: 3, note: undefined };

    const record = aStreamRecord(item, { sequenceNumber: '200' });

    expect(unmarshall(record.dynamodb?.NewImage as never)).toEqual({ PK: 'ORDER#o-1', SK: 'ORDER', total: 3 });
    expect(unmarshall(record.dynamodb?.Keys as never)).toEqual({ PK: 'ORDER#o-1', SK: 'ORDER' });
    expect(record).toMatchObject({ eventName: 'INSERT', dynamodb: { SequenceNumber: '200', StreamViewType: 'NEW_IMAGE' } });
  });

  it('encode an S3 object key as S3 notifications do', () => {
    expect(anS3Record({ key: 'imports/spring sale+1.csv' }).s3.object.key).toBe('imports/spring+sale%2B1.csv');
  });

  it('leave out of an HTTP API event what the request does not have, as API Gateway does', () => {
    const bare = anHttpApiEvent();
    const full = anHttpApiEvent({
      method: 'POST',
      path: '/orders',
      body: { a: 1 },
      pathParameters: { id: '1' },
      queryStringParameters: { limit: '2' },
    });

    expect(bare).not.toHaveProperty('body');
    expect(bare).not.toHaveProperty('pathParameters');
    expect(bare).not.toHaveProperty('queryStringParameters');
    expect(full).toMatchObject({
      routeKey: 'POST /orders',
      body: '{"a":1}',
      rawQueryString: 'limit=2',
      requestContext: { http: { method: 'POST' } },
    });
  });
});
