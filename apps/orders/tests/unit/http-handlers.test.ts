import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { requestFingerprint } from '../../src/domain/idempotency';
import { aPlaceOrderRequest, aStoredOrder } from '../support/builders';
import { callHttp, TEST_PAGE_CURSOR_KEY } from '@storefront/testing';

const dynamo = mockClient(DynamoDBDocumentClient);

type Handlers = {
  placeOrder: typeof import('../../src/handlers/place-order').handler;
  getOrder: typeof import('../../src/handlers/get-order').handler;
  listCustomerOrders: typeof import('../../src/handlers/list-customer-orders').handler;
  cancelOrder: typeof import('../../src/handlers/cancel-order').handler;
};
const handlers = {} as Handlers;

beforeAll(async () => {
  process.env.ORDERS_TABLE = 'orders-test';
  process.env.PAGE_CURSOR_KEY = TEST_PAGE_CURSOR_KEY;
  handlers.placeOrder = (await import('../../src/handlers/place-order')).handler;
  handlers.getOrder = (await import('../../src/handlers/get-order')).handler;
  handlers.listCustomerOrders = (await import('../../src/handlers/list-customer-orders')).handler;
  handlers.cancelOrder = (await import('../../src/handlers/cancel-order')).handler;
});

beforeEach(() => dynamo.reset());

const validBody = aPlaceOrderRequest();
/** The signed-in customer the stored orders belong to. */
const customer1 = { customer: 'customer-1' };
const storedOrder = aStoredOrder();

describe('POST /orders', () => {
  it('answers 201 with the order and writes order and event in one transaction', async () => {
    dynamo.on(TransactWriteCommand).resolves({});

    const response = await callHttp(handlers.placeOrder, { as: customer1, body: validBody });

    expect(response.status).toBe(201);
    expect(response.json).toMatchObject({ status: 'PENDING', customerId: 'customer-1', currency: 'EUR', lines: validBody.lines });
    expect(response.headers.location).toBe(`/orders/${response.json.orderId}`);
    const [call] = dynamo.commandCalls(TransactWriteCommand);
    const items = call?.args[0].input.TransactItems ?? [];
    expect(items.map((item) => item.Put?.Item?.entityType)).toEqual(['ORDER', 'OUTBOX_EVENT']);
    expect(items[1]?.Put?.Item?.event).toMatchObject({ type: 'OrderPlaced', data: { orderId: response.json.orderId } });
  });

  it('answers 400 problem+json and writes nothing for an invalid body', async () => {
    const response = await callHttp(handlers.placeOrder, { as: customer1, body: { ...validBody, lines: [] } });

    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(response.json.errors).toEqual([{ path: 'body.lines', message: expect.any(String) }]);
    expect(dynamo.calls()).toHaveLength(0);
  });

  it('answers 400 problem+json on body.paymentMethod for an order without a payment method, and writes nothing', async () => {
    const { paymentMethod: _omitted, ...withoutPaymentMethod } = validBody;

    const response = await callHttp(handlers.placeOrder, { as: customer1, body: withoutPaymentMethod });

    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(response.json.errors).toEqual([{ path: 'body.paymentMethod', message: expect.any(String) }]);
    expect(dynamo.calls()).toHaveLength(0);
  });

  it('stores the payment method with the order', async () => {
    dynamo.on(TransactWriteCommand).resolves({});

    const response = await callHttp(handlers.placeOrder, { as: customer1, body: { ...validBody, paymentMethod: 'pm_card_mastercard' } });

    expect(response.json.paymentMethod).toBe('pm_card_mastercard');
    const [orderPut] = dynamo.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(orderPut?.Put?.Item).toMatchObject({ entityType: 'ORDER', paymentMethod: 'pm_card_mastercard' });
  });

  it('replays the original order for a repeated Idempotency-Key', async () => {
    const original = { ...storedOrder, PK: undefined, SK: undefined, entityType: undefined };
    dynamo.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        message: 'cancelled',
        $metadata: {},
        CancellationReasons: [{ Code: 'None' }, { Code: 'None' }, { Code: 'ConditionalCheckFailed' }],
      }),
    );
    dynamo.on(GetCommand).resolves({ Item: { fingerprint: requestFingerprint(validBody), order: original } });

    const response = await callHttp(handlers.placeOrder, { as: customer1, body: validBody, headers: { 'Idempotency-Key': 'key-1' } });

    expect(response.status).toBe(201);
    expect(response.json.orderId).toBe('o-1');
  });

  it('answers 409 when an Idempotency-Key is reused with another body', async () => {
    dynamo.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        message: 'cancelled',
        $metadata: {},
        CancellationReasons: [{ Code: 'None' }, { Code: 'None' }, { Code: 'ConditionalCheckFailed' }],
      }),
    );
    dynamo.on(GetCommand).resolves({ Item: { fingerprint: 'another-body', order: storedOrder } });

    const response = await callHttp(handlers.placeOrder, { as: customer1, body: validBody, headers: { 'Idempotency-Key': 'key-1' } });

    expect(response.status).toBe(409);
    expect(response.json.detail).toContain('key-1');
  });

  it('refuses an Idempotency-Key that is not 1-255 printable characters', async () => {
    const response = await callHttp(handlers.placeOrder, {
      as: customer1,
      body: validBody,
      headers: { 'Idempotency-Key': 'x'.repeat(256) },
    });

    expect(response.status).toBe(400);
    expect(response.json.errors).toEqual([{ path: 'headers.idempotency-key', message: expect.any(String) }]);
    expect(dynamo.calls()).toHaveLength(0);
  });

  it('answers 500 without internals when DynamoDB fails', async () => {
    dynamo.on(TransactWriteCommand).rejects(new Error('ProvisionedThroughputExceeded at arn:aws:dynamodb:...'));

    const response = await callHttp(handlers.placeOrder, { as: customer1, body: validBody });

    expect(response.status).toBe(500);
    expect(JSON.stringify(response.json)).not.toContain('arn:aws');
  });
});

describe('GET /orders/{orderId}', () => {
  it('returns the order without storage keys', async () => {
    dynamo.on(GetCommand).resolves({ Item: storedOrder });

    const response = await callHttp(handlers.getOrder, { as: customer1, pathParameters: { orderId: 'o-1' } });

    expect(response.status).toBe(200);
    expect(response.json).toEqual({
      orderId: 'o-1',
      status: 'PENDING',
      customerId: 'customer-1',
      currency: 'EUR',
      paymentMethod: 'pm_card_visa',
      lines: [{ sku: 'SKU-1', quantity: 2 }],
      createdAt: storedOrder.createdAt,
      updatedAt: storedOrder.updatedAt,
    });
  });

  it('shows what the order costs and how its payment ended', async () => {
    const total = { amount: 3998, currency: 'EUR' };
    dynamo
      .on(GetCommand, { Key: { PK: 'ORDER#o-1', SK: 'ORDER' } })
      .resolves({ Item: { ...storedOrder, status: 'CONFIRMED', total, payment: { status: 'CAPTURED', providerReference: 'pi_1' } } })
      .on(GetCommand, { Key: { PK: 'ORDER#o-2', SK: 'ORDER' } })
      .resolves({
        Item: {
          ...storedOrder,
          orderId: 'o-2',
          status: 'PAYMENT_FAILED',
          total,
          payment: { status: 'FAILED', reason: 'DECLINED', detail: 'insufficient_funds' },
        },
      });

    const confirmed = await callHttp(handlers.getOrder, { as: customer1, pathParameters: { orderId: 'o-1' } });
    const failed = await callHttp(handlers.getOrder, { as: customer1, pathParameters: { orderId: 'o-2' } });

    expect(confirmed.json).toMatchObject({ status: 'CONFIRMED', total, payment: { status: 'CAPTURED', providerReference: 'pi_1' } });
    expect(failed.json).toMatchObject({
      status: 'PAYMENT_FAILED',
      total,
      payment: { status: 'FAILED', reason: 'DECLINED', detail: 'insufficient_funds' },
    });
  });

  it('answers 404 problem for an unknown order', async () => {
    dynamo.on(GetCommand).resolves({});

    const response = await callHttp(handlers.getOrder, { as: customer1, pathParameters: { orderId: 'missing' } });

    expect(response.status).toBe(404);
    expect(response.json).toMatchObject({ status: 404, detail: 'Order missing does not exist' });
  });
});

describe('GET /customers/{customerId}/orders', () => {
  it('queries newest first and returns an opaque cursor', async () => {
    dynamo
      .on(QueryCommand)
      .resolves({ Items: [storedOrder], LastEvaluatedKey: { PK: 'ORDER#o-1', SK: 'ORDER', GSI1PK: 'CUSTOMER#customer-1', GSI1SK: 'x' } });

    const response = await callHttp(handlers.listCustomerOrders, {
      as: customer1,
      pathParameters: { customerId: 'customer-1' },
      queryStringParameters: { limit: '1' },
    });

    expect(response.status).toBe(200);
    expect(response.json.items).toHaveLength(1);
    expect(typeof response.json.nextCursor).toBe('string');
    const query = dynamo.commandCalls(QueryCommand)[0]?.args[0].input;
    expect(query).toMatchObject({ IndexName: 'GSI1', ScanIndexForward: false, Limit: 1 });
  });

  it("answers 400 problem+json for another customer's cursor, without querying", async () => {
    dynamo
      .on(QueryCommand)
      .resolvesOnce({ Items: [], LastEvaluatedKey: { PK: 'ORDER#x', SK: 'ORDER', GSI1PK: 'CUSTOMER#other', GSI1SK: 'x' } });
    const other = await callHttp(handlers.listCustomerOrders, {
      as: { customer: 'other' },
      pathParameters: { customerId: 'other' },
      queryStringParameters: {},
    });
    dynamo.reset();

    const response = await callHttp(handlers.listCustomerOrders, {
      as: customer1,
      pathParameters: { customerId: 'customer-1' },
      queryStringParameters: { cursor: other.json.nextCursor },
    });

    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(response.json.errors).toEqual([{ path: 'query.cursor', message: expect.any(String) }]);
    expect(dynamo.commandCalls(QueryCommand)).toHaveLength(0);
  });
});

describe('POST /orders/{orderId}/cancel', () => {
  it('cancels a pending order', async () => {
    dynamo.on(GetCommand).resolves({ Item: storedOrder });
    dynamo.on(TransactWriteCommand).resolves({});

    const response = await callHttp(handlers.cancelOrder, { as: customer1, pathParameters: { orderId: 'o-1' } });

    expect(response.status).toBe(200);
    expect(response.json.status).toBe('CANCELLED');
    const update = dynamo.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems?.[0]?.Update;
    expect(update?.ExpressionAttributeValues).toMatchObject({ ':expected': 'PENDING', ':status': 'CANCELLED' });
  });

  it('cancels a reserved order whose payment has not ended, with OrderCancelled in the same transaction', async () => {
    dynamo.on(GetCommand).resolves({ Item: { ...storedOrder, status: 'RESERVED', total: { amount: 3998, currency: 'EUR' } } });
    dynamo.on(TransactWriteCommand).resolves({});

    const response = await callHttp(handlers.cancelOrder, { as: customer1, pathParameters: { orderId: 'o-1' } });

    expect(response.status).toBe(200);
    const [update, outbox] = dynamo.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(update?.Update?.ExpressionAttributeValues).toMatchObject({ ':expected': 'RESERVED', ':status': 'CANCELLED' });
    expect(outbox?.Put?.Item?.event).toMatchObject({ type: 'OrderCancelled', data: { previousStatus: 'RESERVED' } });
  });

  it.each(['CANCELLED', 'CONFIRMED', 'PAYMENT_FAILED', 'REJECTED'])('answers 409 problem+json for an order that is %s', async (status) => {
    dynamo.on(GetCommand).resolves({ Item: { ...storedOrder, status } });

    const response = await callHttp(handlers.cancelOrder, { as: customer1, pathParameters: { orderId: 'o-1' } });

    expect(response.status).toBe(409);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(response.json.detail).toBe(`Order o-1 is ${status} and cannot become CANCELLED`);
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('answers 409 when the order changed between read and write', async () => {
    dynamo.on(GetCommand).resolves({ Item: storedOrder });
    dynamo.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        message: 'cancelled',
        $metadata: {},
        CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }],
      }),
    );

    const response = await callHttp(handlers.cancelOrder, { as: customer1, pathParameters: { orderId: 'o-1' } });

    expect(response.status).toBe(409);
  });
});

/** A TransactWriteItems refused as DynamoDB refuses it, with one cancellation reason per item. */
const cancelledInTransaction = (reasons: string[]) =>
  new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: reasons.map((Code) => ({ Code })) });

describe('POST /orders/{orderId}/cancel racing the saga', () => {
  it('cancels, from RESERVED, an order inventory reserved between the cancel’s read and its write, re-read consistently', async () => {
    dynamo
      .on(GetCommand)
      .resolvesOnce({ Item: storedOrder })
      .resolves({ Item: { ...storedOrder, status: 'RESERVED', total: { amount: 3998, currency: 'EUR' } } });
    dynamo
      .on(TransactWriteCommand)
      .rejectsOnce(cancelledInTransaction(['ConditionalCheckFailed', 'None']))
      .resolves({});

    const response = await callHttp(handlers.cancelOrder, { as: customer1, pathParameters: { orderId: 'o-1' } });

    expect(response.status).toBe(200);
    expect(response.json.status).toBe('CANCELLED');
    expect(dynamo.commandCalls(GetCommand).map((call) => call.args[0].input.ConsistentRead)).toEqual([undefined, true]);
    const [, retried] = dynamo.commandCalls(TransactWriteCommand);
    const [update, outbox] = retried?.args[0].input.TransactItems ?? [];
    expect(update?.Update?.ExpressionAttributeValues).toMatchObject({ ':expected': 'RESERVED', ':status': 'CANCELLED' });
    expect(outbox?.Put?.Item?.event).toMatchObject({ type: 'OrderCancelled', data: { previousStatus: 'RESERVED' } });
  });

  it('answers 409 naming the status when the order reached one that forbids a cancel meanwhile, and writes no more', async () => {
    dynamo
      .on(GetCommand)
      .resolvesOnce({ Item: storedOrder })
      .resolves({ Item: { ...storedOrder, status: 'REJECTED' } });
    dynamo.on(TransactWriteCommand).rejects(cancelledInTransaction(['ConditionalCheckFailed', 'None']));

    const response = await callHttp(handlers.cancelOrder, { as: customer1, pathParameters: { orderId: 'o-1' } });

    expect(response.status).toBe(409);
    expect(response.json.detail).toBe('Order o-1 is REJECTED and cannot become CANCELLED');
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });

  it('runs again a cancel whose transaction collided with another on the same order (TransactionConflict)', async () => {
    dynamo.on(GetCommand).resolves({ Item: storedOrder });
    dynamo
      .on(TransactWriteCommand)
      .rejectsOnce(cancelledInTransaction(['TransactionConflict', 'None']))
      .resolves({});

    const response = await callHttp(handlers.cancelOrder, { as: customer1, pathParameters: { orderId: 'o-1' } });

    expect(response.status).toBe(200);
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(2);
  });
});

describe('POST /orders under a colliding transaction', () => {
  it('runs the order’s transaction again when it collided with another (TransactionConflict)', async () => {
    dynamo
      .on(TransactWriteCommand)
      .rejectsOnce(cancelledInTransaction(['TransactionConflict', 'None']))
      .resolves({});

    const response = await callHttp(handlers.placeOrder, { as: customer1, body: validBody });

    expect(response.status).toBe(201);
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(2);
  });
});

describe('who may place, read, list and cancel orders', () => {
  it('places the order for the customer the token names when the body leaves customerId out', async () => {
    dynamo.on(TransactWriteCommand).resolves({});
    const { customerId: _, ...withoutCustomer } = validBody;

    const response = await callHttp(handlers.placeOrder, { as: { customer: 'c-7' }, body: withoutCustomer });

    expect(response.status).toBe(201);
    expect(response.json.customerId).toBe('c-7');
  });

  it('refuses with 403 an order whose body names another customer, and writes nothing', async () => {
    const response = await callHttp(handlers.placeOrder, { as: { customer: 'c-7' }, body: validBody });

    expect(response.status).toBe(403);
    expect(response.json).toMatchObject({ status: 403, detail: expect.stringContaining('signed-in customer (c-7)') });
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it("answers another customer's order with the same 404 as an unknown one", async () => {
    dynamo.on(GetCommand).resolves({ Item: storedOrder });

    const response = await callHttp(handlers.getOrder, { as: { customer: 'c-7' }, pathParameters: { orderId: 'o-1' } });

    expect(response.status).toBe(404);
    expect(response.json.detail).toBe('Order o-1 does not exist');
  });

  it("refuses to cancel another customer's order as if it did not exist", async () => {
    dynamo.on(GetCommand).resolves({ Item: storedOrder });

    const response = await callHttp(handlers.cancelOrder, { as: { customer: 'c-7' }, pathParameters: { orderId: 'o-1' } });

    expect(response.status).toBe(404);
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it("answers 403 to a customer listing another customer's orders, without querying", async () => {
    const response = await callHttp(handlers.listCustomerOrders, {
      as: { customer: 'c-7' },
      pathParameters: { customerId: 'customer-1' },
      queryStringParameters: {},
    });

    expect(response.status).toBe(403);
    expect(dynamo.commandCalls(QueryCommand)).toHaveLength(0);
  });

  it("lets an admin read and list any customer's orders", async () => {
    dynamo
      .on(GetCommand)
      .resolves({ Item: storedOrder })
      .on(QueryCommand)
      .resolves({ Items: [storedOrder] });

    const read = await callHttp(handlers.getOrder, { as: { admin: true }, pathParameters: { orderId: 'o-1' } });
    const listed = await callHttp(handlers.listCustomerOrders, {
      as: { admin: true },
      pathParameters: { customerId: 'customer-1' },
      queryStringParameters: {},
    });

    expect(read.status).toBe(200);
    expect(listed.json.items).toHaveLength(1);
  });

  it('answers 401 when no verified identity reaches the handler', async () => {
    const response = await callHttp(handlers.getOrder, { pathParameters: { orderId: 'o-1' } });

    expect(response.status).toBe(401);
    expect(dynamo.commandCalls(GetCommand)).toHaveLength(0);
  });
});
