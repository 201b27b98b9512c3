import { join } from 'node:path';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, PageCursors } from '@storefront/dynamodb';
import { ValidationError } from '@storefront/errors';
import {
  createTableFromResource,
  LOCAL_CREDENTIALS,
  LOCAL_REGION,
  emptyDynamoDbLocal,
  TEST_PAGE_CURSOR_KEY,
  aPaymentCaptured,
  aPaymentFailed,
  aStockReserved,
  type DynamoDbLocal,
} from '@storefront/testing';
import { DynamoDbOrdersRepository } from '../../src/adapters/dynamodb-orders-repository';
import { ConcurrentOrderUpdateError } from '../../src/domain/errors';
import { cancelOrder, placeOrder } from '../../src/domain/order';
import { OrdersService } from '../../src/domain/orders-service';
import { aCustomer, aPlaceOrderRequest, fixedDeps } from '../support/builders';

let dynamo: DynamoDbLocal;
let documents: DynamoDBDocumentClient;
let tableCount = 0;

beforeAll(async () => {
  dynamo = await emptyDynamoDbLocal();
  documents = createDocumentClient(dynamo.client);
});

afterAll(async () => {
  await dynamo?.stop();
});

/** A fresh table per test, built from the resource the service deploys. */
async function freshRepository() {
  const tableName = `orders-it-${++tableCount}`;
  await createTableFromResource(dynamo.client, join(import.meta.dirname, '../../resources/orders.yml'), 'OrdersTable', tableName);
  return { tableName, repository: new DynamoDbOrdersRepository(documents, tableName, new PageCursors(TEST_PAGE_CURSOR_KEY)) };
}

async function allItems(tableName: string) {
  return (await documents.send(new ScanCommand({ TableName: tableName, ConsistentRead: true }))).Items ?? [];
}

/** Reads every record the table's stream holds so far, as the relay would receive them. */
async function streamImages(tableName: string) {
  const streams = new DynamoDBStreamsClient({ endpoint: dynamo.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  const { Table } = await dynamo.client.send(new DescribeTableCommand({ TableName: tableName }));
  const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: Table?.LatestStreamArn }));
  const images: Record<string, unknown>[] = [];
  for (const shard of StreamDescription?.Shards ?? []) {
    const { ShardIterator } = await streams.send(
      new GetShardIteratorCommand({ StreamArn: Table?.LatestStreamArn, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' }),
    );
    const { Records } = await streams.send(new GetRecordsCommand({ ShardIterator }));
    for (const record of Records ?? [])
      images.push({ eventName: record.eventName, ...unmarshall((record.dynamodb?.NewImage ?? {}) as never) });
  }
  streams.destroy();
  return images;
}

describe('DynamoDbOrdersRepository on DynamoDB Local', () => {
  it('writes the order and its outbox event together, and the event reaches the stream', async () => {
    const { tableName, repository } = await freshRepository();
    const { order, event } = placeOrder(aPlaceOrderRequest(), fixedDeps());

    await repository.create(order, event);

    expect(await repository.get(order.orderId)).toEqual(order);
    const inserted = (await streamImages(tableName)).filter((image) => image.eventName === 'INSERT');
    expect(inserted.map((image) => image.entityType).sort()).toEqual(['ORDER', 'OUTBOX_EVENT']);
    expect(inserted.find((image) => image.entityType === 'OUTBOX_EVENT')?.event).toEqual(event);
  });

  it('leaves neither order nor event behind when the write fails', async () => {
    const { tableName, repository } = await freshRepository();
    const deps = fixedDeps();
    const first = placeOrder(aPlaceOrderRequest(), deps);
    await repository.create(first.order, first.event);
    const clash = placeOrder(aPlaceOrderRequest({ customerId: 'customer-2' }), deps);

    // Same order id as an existing order: the order's condition fails, so the whole transaction must.
    const attempt = repository.create({ ...clash.order, orderId: first.order.orderId }, clash.event);

    await expect(attempt).rejects.toMatchObject({ name: 'TransactionCanceledException' });
    const items = await allItems(tableName);
    expect(items.filter((item) => item.entityType === 'OUTBOX_EVENT').map((item) => item.event.id)).toEqual([first.event.id]);
    expect(items.filter((item) => item.customerId === 'customer-2')).toEqual([]);
    const streamedEvents = (await streamImages(tableName)).filter((image) => image.entityType === 'OUTBOX_EVENT');
    expect(streamedEvents).toHaveLength(1);
  });

  it('stores an idempotency claim once and hands back the first order on a replay', async () => {
    const { tableName, repository } = await freshRepository();
    const deps = fixedDeps();
    const first = placeOrder(aPlaceOrderRequest(), deps);
    const retry = placeOrder(aPlaceOrderRequest(), deps);
    const claim = { key: 'key-1', fingerprint: 'body-hash' };

    const created = await repository.create(first.order, first.event, claim);
    const replay = await repository.create(retry.order, retry.event, claim);

    expect(created).toEqual({ created: true });
    expect(replay).toEqual({ created: false, fingerprint: 'body-hash', order: first.order });
    expect((await allItems(tableName)).filter((item) => item.entityType === 'ORDER')).toHaveLength(1);
  });

  it("lists a customer's orders newest first, page by page", async () => {
    const { repository } = await freshRepository();
    const times = ['2026-03-01T10:00:00.000Z', '2026-03-02T10:00:00.000Z', '2026-03-03T10:00:00.000Z'];
    for (const at of times) {
      const { order, event } = placeOrder(aPlaceOrderRequest(), fixedDeps(at));
      await repository.create({ ...order, orderId: `order-${at}` }, event);
    }
    const other = placeOrder(aPlaceOrderRequest({ customerId: 'someone-else' }), fixedDeps());
    await repository.create({ ...other.order, orderId: 'other' }, other.event);

    const first = await repository.listByCustomer('customer-1', { limit: 2 });
    const second = await repository.listByCustomer('customer-1', { limit: 2, ...(first.nextCursor ? { cursor: first.nextCursor } : {}) });

    expect(first.items.map((o) => o.createdAt)).toEqual([times[2], times[1]]);
    expect(first.nextCursor).toEqual(expect.any(String));
    expect(second.items.map((o) => o.createdAt)).toEqual([times[0]]);
    expect(second.nextCursor).toBeUndefined();
  });

  it("refuses one customer's page cursor on another customer's orders", async () => {
    const { repository } = await freshRepository();
    for (const orderId of ['o-1', 'o-2']) {
      const { order, event } = placeOrder(aPlaceOrderRequest(), fixedDeps());
      await repository.create({ ...order, orderId }, event);
    }
    const { nextCursor } = await repository.listByCustomer('customer-1', { limit: 1 });

    const attempt = repository.listByCustomer('someone-else', { limit: 1, cursor: nextCursor as string });

    await expect(attempt).rejects.toBeInstanceOf(ValidationError);
  });

  it('applies a status change only if nobody changed the order first', async () => {
    const { tableName, repository } = await freshRepository();
    const deps = fixedDeps();
    const { order, event } = placeOrder(aPlaceOrderRequest(), deps);
    await repository.create(order, event);
    const cancel = cancelOrder(order, deps);
    await repository.transition(cancel.order, 'PENDING', cancel.event);

    const stale = repository.transition(cancel.order, 'PENDING', cancelOrder(order, deps).event);

    await expect(stale).rejects.toBeInstanceOf(ConcurrentOrderUpdateError);
    expect((await repository.get(order.orderId))?.status).toBe('CANCELLED');
    expect((await allItems(tableName)).filter((item) => item.entityType === 'OUTBOX_EVENT')).toHaveLength(2);
  });
});

describe('cancels racing the saga on DynamoDB Local', () => {
  it('cancels every order whose cancel raced inventory’s reservation, from whichever status it found, with one OrderCancelled each', async () => {
    const { tableName, repository } = await freshRepository();
    let id = 0;
    const service = new OrdersService({ repository, now: () => new Date('2026-03-01T10:00:00.000Z'), newId: () => `id-${++id}` });
    const orders = await Promise.all(
      Array.from({ length: 20 }, async () => (await service.place(aCustomer(), aPlaceOrderRequest(), { correlationId: 'c' })).order),
    );

    const outcomes = await Promise.allSettled(
      orders.flatMap((order) => [
        service.cancel(aCustomer(), order.orderId, { correlationId: 'c' }),
        service.applyInventoryOutcome(aStockReserved({ data: { orderId: order.orderId } })),
      ]),
    );

    expect(outcomes.filter((outcome) => outcome.status === 'rejected')).toEqual([]);
    const stored = await Promise.all(orders.map((order) => repository.get(order.orderId, { consistent: true })));
    expect(stored.map((order) => order?.status)).toEqual(orders.map(() => 'CANCELLED'));
    const events = (await allItems(tableName)).filter((item) => item.entityType === 'OUTBOX_EVENT').map((item) => item.event);
    for (const order of orders) {
      const own = events.filter((event) => event.data.orderId === order.orderId);
      const reserved = own.some((event) => event.type === 'OrderReserved');
      // Cancelled once, from RESERVED exactly when the reservation got in first.
      expect(own.filter((event) => event.type === 'OrderCancelled').map((event) => event.data.previousStatus)).toEqual([
        reserved ? 'RESERVED' : 'PENDING',
      ]);
    }
  });
});

describe('inventory answers on DynamoDB Local', () => {
  it('stores a rejection with its reasons and reads them back', async () => {
    const { repository } = await freshRepository();
    const { order, event } = placeOrder(aPlaceOrderRequest(), fixedDeps());
    await repository.create(order, event);
    const reasons = [{ sku: 'SKU-1', reason: 'INSUFFICIENT_STOCK' as const, requested: 2, available: 0 }];

    await repository.transition({ ...order, status: 'REJECTED', rejectionReasons: reasons }, 'PENDING');

    expect(await repository.get(order.orderId)).toEqual({ ...order, status: 'REJECTED', rejectionReasons: reasons });
  });
});

describe('the payment saga on DynamoDB Local', () => {
  /** The orders service on the DynamoDB adapter, with one placed order, on a clock the test moves. */
  async function placedOrder() {
    const { tableName, repository } = await freshRepository();
    const clock = { now: new Date('2026-03-01T10:00:00.000Z') };
    let id = 0;
    const service = new OrdersService({ repository, now: () => clock.now, newId: () => `id-${++id}` });
    const { order } = await service.place(aCustomer(), aPlaceOrderRequest(), { correlationId: 'c' });
    clock.now = new Date('2026-03-01T10:00:01.000Z');
    return { tableName, repository, service, order };
  }
  const outboxTypes = async (tableName: string) =>
    (await allItems(tableName))
      .filter((item) => item.entityType === 'OUTBOX_EVENT')
      .map((item) => item.event.type)
      .sort();

  it('reserves with the total, line prices and OrderReserved in one write; a captured payment confirms it with OrderConfirmed', async () => {
    const { tableName, repository, service, order } = await placedOrder();

    await service.applyInventoryOutcome(aStockReserved({ data: { orderId: order.orderId } }));
    const reserved = await repository.get(order.orderId);
    await service.applyPaymentOutcome(aPaymentCaptured({ data: { orderId: order.orderId, providerReference: 'pi_7' } }));

    const pricedLines = [{ sku: 'SKU-1', quantity: 2, unitPrice: 1999, currency: 'EUR' }];
    expect(reserved).toMatchObject({
      status: 'RESERVED',
      total: { amount: 3998, currency: 'EUR' },
      pricedLines,
      paymentMethod: 'pm_card_visa',
    });
    expect(await repository.get(order.orderId)).toEqual({
      ...order,
      status: 'CONFIRMED',
      total: { amount: 3998, currency: 'EUR' },
      pricedLines,
      payment: { status: 'CAPTURED', providerReference: 'pi_7' },
      updatedAt: '2026-03-01T10:00:01.000Z',
    });
    expect(await outboxTypes(tableName)).toEqual(['OrderConfirmed', 'OrderPlaced', 'OrderReserved']);
  });

  it('keeps why a payment failed', async () => {
    const { repository, service, order } = await placedOrder();
    await service.applyInventoryOutcome(aStockReserved({ data: { orderId: order.orderId } }));

    await service.applyPaymentOutcome(
      aPaymentFailed({ data: { orderId: order.orderId, detail: 'expired_card', providerReference: undefined } }),
    );

    expect(await repository.get(order.orderId)).toMatchObject({
      status: 'PAYMENT_FAILED',
      payment: { status: 'FAILED', reason: 'DECLINED', detail: 'expired_card' },
    });
  });

  it('rejects the order for CURRENCY_MISMATCH with OrderRejected in one write, and stores no total', async () => {
    const { tableName, repository, service, order } = await placedOrder();
    const inDollars = [{ sku: 'SKU-1', quantity: 2, unitPrice: 2199, currency: 'USD' }];

    await service.applyInventoryOutcome(aStockReserved({ data: { orderId: order.orderId, lines: inDollars } }));

    const stored = await repository.get(order.orderId);
    expect(stored).toMatchObject({ status: 'REJECTED', statusReason: 'CURRENCY_MISMATCH' });
    expect(stored).not.toHaveProperty('total');
    expect(await outboxTypes(tableName)).toEqual(['OrderPlaced', 'OrderRejected']);
  });
});

describe('the sparse index of waiting orders on DynamoDB Local', () => {
  it('holds an order while it is PENDING and drops it when it moves on', async () => {
    const { repository } = await freshRepository();
    const deps = fixedDeps('2026-03-01T10:00:00.000Z');
    const waiting = placeOrder(aPlaceOrderRequest(), deps);
    const answered = placeOrder(aPlaceOrderRequest(), deps);
    await repository.create(waiting.order, waiting.event);
    await repository.create(answered.order, answered.event);

    await repository.transition({ ...answered.order, status: 'REJECTED' }, 'PENDING');

    const pending = await repository.waitingSince('PENDING', '2026-03-01T10:00:01.000Z', 10);
    expect(pending.map((o) => o.orderId)).toEqual([waiting.order.orderId]);
    expect(await repository.waitingSince('PENDING', '2026-03-01T09:59:59.000Z', 10)).toEqual([]);
  });

  it('moves a reserved order to the RESERVED entries, from the time it was reserved, until its payment ends', async () => {
    const { repository } = await freshRepository();
    const { order, event } = placeOrder(aPlaceOrderRequest(), fixedDeps('2026-03-01T10:00:00.000Z'));
    await repository.create(order, event);
    const reserved = { ...order, status: 'RESERVED' as const, updatedAt: '2026-03-01T10:05:00.000Z' };

    await repository.transition(reserved, 'PENDING');
    const whileReserved = {
      pending: await repository.waitingSince('PENDING', '2026-03-02T00:00:00.000Z', 10),
      reservedBefore: await repository.waitingSince('RESERVED', '2026-03-01T10:04:59.000Z', 10),
      reservedAfter: await repository.waitingSince('RESERVED', '2026-03-01T10:05:01.000Z', 10),
    };
    await repository.transition(
      { ...reserved, status: 'CONFIRMED', payment: { status: 'CAPTURED', providerReference: 'pi_1' } },
      'RESERVED',
    );

    expect(whileReserved.pending).toEqual([]);
    expect(whileReserved.reservedBefore).toEqual([]);
    expect(whileReserved.reservedAfter.map((o) => o.orderId)).toEqual([order.orderId]);
    expect(await repository.waitingSince('RESERVED', '2026-03-02T00:00:00.000Z', 10)).toEqual([]);
  });
});

describe('the watchdog on DynamoDB Local', () => {
  /** The orders service on the DynamoDB adapter, at a time the test sets. */
  async function watchdogAt(at: string) {
    const { tableName, repository } = await freshRepository();
    const clock = { now: new Date(at) };
    let id = 0;
    const service = new OrdersService({ repository, now: () => clock.now, newId: () => `id-${++id}` });
    return { tableName, repository, service, setTime: (next: string) => (clock.now = new Date(next)) };
  }

  it('rejects an overdue PENDING order with its reason and OrderRejected in one write, and takes it off the index', async () => {
    const { tableName, repository, service, setTime } = await watchdogAt('2026-03-01T10:00:00.000Z');
    const { order } = await service.place(aCustomer(), aPlaceOrderRequest(), { correlationId: 'c' });
    setTime('2026-03-01T10:15:00.001Z');

    const outcomes = await service.resolveOverdueOrders({ correlationId: 'run-1' });

    expect(outcomes).toEqual([{ orderId: order.orderId, status: 'PENDING', outcome: 'resolved' }]);
    expect(await repository.get(order.orderId)).toEqual({
      ...order,
      status: 'REJECTED',
      statusReason: 'RESERVATION_TIMEOUT',
      updatedAt: '2026-03-01T10:15:00.001Z',
    });
    const events = (await allItems(tableName)).filter((item) => item.entityType === 'OUTBOX_EVENT').map((item) => item.event);
    expect(events.map((e) => e.type).sort()).toEqual(['OrderPlaced', 'OrderRejected']);
    expect(events.find((e) => e.type === 'OrderRejected')).toMatchObject({
      data: { orderId: order.orderId, reason: 'RESERVATION_TIMEOUT' },
    });
    expect(await repository.waitingSince('PENDING', '2026-03-02T00:00:00.000Z', 10)).toEqual([]);
  });

  it('writes nothing for an order that was reserved after the watchdog read it', async () => {
    const { tableName, repository, service, setTime } = await watchdogAt('2026-03-01T10:00:00.000Z');
    const { order } = await service.place(aCustomer(), aPlaceOrderRequest(), { correlationId: 'c' });
    setTime('2026-03-01T10:15:00.001Z');
    const [overdue] = await repository.waitingSince('PENDING', '2026-03-01T10:00:00.001Z', 10);
    await repository.transition({ ...order, status: 'RESERVED', updatedAt: '2026-03-01T10:15:00.000Z' }, 'PENDING');

    const attempt = repository.transition({ ...overdue!, status: 'REJECTED', statusReason: 'RESERVATION_TIMEOUT' }, 'PENDING');

    await expect(attempt).rejects.toBeInstanceOf(ConcurrentOrderUpdateError);
    expect((await repository.get(order.orderId))?.status).toBe('RESERVED');
    expect((await allItems(tableName)).filter((item) => item.entityType === 'OUTBOX_EVENT')).toHaveLength(1);
  });
});
