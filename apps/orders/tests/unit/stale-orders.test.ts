import { DynamoDBDocumentClient, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { OrderEvent, parseWith } from '@storefront/contracts';
import { mockClient } from 'aws-sdk-client-mock';
import { timeoutsFromEnvironment } from '../../src/adapters/wiring';
import { OrderTransitionError } from '../../src/domain/errors';
import { placeOrder } from '../../src/domain/order';
import { OrdersService } from '../../src/domain/orders-service';
import { resolveOverdue, waitTimeouts } from '../../src/domain/waiting-orders';
import { aCustomer, aPlaceOrderRequest, fixedDeps } from '../support/builders';
import { InMemoryOrdersRepository } from '../support/in-memory-orders-repository';
import { aLambdaContext, aPaymentCaptured, aStockReserved, TEST_PAGE_CURSOR_KEY } from '@storefront/testing';

const FIFTEEN_MINUTES = 15 * 60 * 1000;
const ONE_HOUR = 60 * 60 * 1000;

/** An orders service on a clock the test moves. */
function serviceAt(start: string, options: { timeouts?: ReturnType<typeof waitTimeouts> } = {}) {
  const repository = new InMemoryOrdersRepository();
  const clock = { now: new Date(start) };
  let id = 0;
  const service = new OrdersService({ repository, now: () => clock.now, newId: () => `id-${++id}`, ...options });
  const advance = (ms: number) => (clock.now = new Date(clock.now.getTime() + ms));
  return { repository, service, advance };
}

const stockReserved = (orderId: string) => aStockReserved({ id: `reserved-${orderId}`, data: { orderId } });

describe('giving up on an order that waited too long', () => {
  it('rejects a PENDING order for RESERVATION_TIMEOUT with an OrderRejected its consumers accept', () => {
    const { order } = placeOrder(aPlaceOrderRequest(), fixedDeps());

    const resolved = resolveOverdue(order, fixedDeps('2026-03-01T10:20:00.000Z', 'watchdog-run'));

    expect(resolved.order).toEqual({
      ...order,
      status: 'REJECTED',
      statusReason: 'RESERVATION_TIMEOUT',
      updatedAt: '2026-03-01T10:20:00.000Z',
    });
    expect(resolved.event).toMatchObject({
      type: 'OrderRejected',
      correlationId: 'watchdog-run',
      data: { orderId: order.orderId, customerId: order.customerId, previousStatus: 'PENDING', reason: 'RESERVATION_TIMEOUT' },
    });
    expect(parseWith(OrderEvent, JSON.parse(JSON.stringify(resolved.event))).success).toBe(true);
  });

  it('refuses to resolve an order that is not waiting', () => {
    const { order } = placeOrder(aPlaceOrderRequest(), fixedDeps());

    expect(() => resolveOverdue({ ...order, status: 'CONFIRMED' }, fixedDeps())).toThrow(OrderTransitionError);
  });

  it('rejects a RESERVED order for PAYMENT_TIMEOUT, so inventory releases and payments lets go', () => {
    const { order } = placeOrder(aPlaceOrderRequest(), fixedDeps());
    const reserved = { ...order, status: 'RESERVED' as const, total: { amount: 3998, currency: 'EUR' } };

    const resolved = resolveOverdue(reserved, fixedDeps('2026-03-01T11:10:00.000Z', 'watchdog-run'));

    expect(resolved.order).toMatchObject({ status: 'REJECTED', statusReason: 'PAYMENT_TIMEOUT', total: reserved.total });
    expect(resolved.event).toMatchObject({ type: 'OrderRejected', data: { previousStatus: 'RESERVED', reason: 'PAYMENT_TIMEOUT' } });
    expect(parseWith(OrderEvent, JSON.parse(JSON.stringify(resolved.event))).success).toBe(true);
  });
});

describe('the watchdog (OrdersService.resolveOverdueOrders)', () => {
  it('resolves a PENDING order older than the limit: REJECTED with its reason, OrderRejected in the outbox', async () => {
    const { repository, service, advance } = serviceAt('2026-03-01T10:00:00.000Z');
    const { order } = await service.place(aCustomer(), aPlaceOrderRequest(), { correlationId: 'c' });
    advance(FIFTEEN_MINUTES + 1);

    const outcomes = await service.resolveOverdueOrders({ correlationId: 'run-1' });

    expect(outcomes).toEqual([{ orderId: order.orderId, status: 'PENDING', outcome: 'resolved' }]);
    expect(await service.get(order.orderId)).toMatchObject({ status: 'REJECTED', statusReason: 'RESERVATION_TIMEOUT' });
    expect(repository.events.map((e) => e.type)).toEqual(['OrderPlaced', 'OrderRejected']);
    expect(repository.events[1]).toMatchObject({ correlationId: 'run-1', data: { orderId: order.orderId } });
  });

  it('leaves a PENDING order younger than the limit alone', async () => {
    const { repository, service, advance } = serviceAt('2026-03-01T10:00:00.000Z');
    const { order } = await service.place(aCustomer(), aPlaceOrderRequest(), { correlationId: 'c' });
    advance(FIFTEEN_MINUTES - 1);

    const outcomes = await service.resolveOverdueOrders({ correlationId: 'run-1' });

    expect(outcomes).toEqual([]);
    expect((await service.get(order.orderId)).status).toBe('PENDING');
    expect(repository.events.map((e) => e.type)).toEqual(['OrderPlaced']);
  });

  it('leaves alone an order inventory reserved between the watchdog reading it and writing', async () => {
    const { repository, service, advance } = serviceAt('2026-03-01T10:00:00.000Z');
    const { order } = await service.place(aCustomer(), aPlaceOrderRequest(), { correlationId: 'c' });
    advance(FIFTEEN_MINUTES + 1);
    const read = repository.waitingSince.bind(repository);
    repository.waitingSince = async (...args) => {
      const found = await read(...args);
      await service.applyInventoryOutcome(stockReserved(order.orderId));
      return found;
    };

    const outcomes = await service.resolveOverdueOrders({ correlationId: 'run-1' });

    expect(outcomes).toEqual([{ orderId: order.orderId, status: 'PENDING', outcome: 'moved-on' }]);
    expect((await service.get(order.orderId)).status).toBe('RESERVED');
    expect(repository.events.map((e) => e.type)).toEqual(['OrderPlaced', 'OrderReserved']);
  });

  it('ignores a StockReserved that arrives after the order was rejected', async () => {
    const { service, advance } = serviceAt('2026-03-01T10:00:00.000Z');
    const { order } = await service.place(aCustomer(), aPlaceOrderRequest(), { correlationId: 'c' });
    advance(FIFTEEN_MINUTES + 1);
    await service.resolveOverdueOrders({ correlationId: 'run-1' });

    const late = await service.applyInventoryOutcome(stockReserved(order.orderId));

    expect(late).toEqual({ outcome: 'stale' });
    expect(await service.get(order.orderId)).toMatchObject({ status: 'REJECTED', statusReason: 'RESERVATION_TIMEOUT' });
  });

  it('gives a RESERVED order an hour for its payment from the moment stock was held, then rejects it for PAYMENT_TIMEOUT', async () => {
    const { repository, service, advance } = serviceAt('2026-03-01T10:00:00.000Z');
    const { order } = await service.place(aCustomer(), aPlaceOrderRequest(), { correlationId: 'c' });
    advance(60_000);
    await service.applyInventoryOutcome(stockReserved(order.orderId));

    advance(ONE_HOUR - 1);
    const early = await service.resolveOverdueOrders({ correlationId: 'run-1' });
    advance(2);
    const late = await service.resolveOverdueOrders({ correlationId: 'run-2' });

    expect(early).toEqual([]);
    expect(late).toEqual([{ orderId: order.orderId, status: 'RESERVED', outcome: 'resolved' }]);
    expect(await service.get(order.orderId)).toMatchObject({ status: 'REJECTED', statusReason: 'PAYMENT_TIMEOUT' });
    expect(repository.events.map((e) => e.type)).toEqual(['OrderPlaced', 'OrderReserved', 'OrderRejected']);
  });

  it('ignores a payment captured after the watchdog gave up on the order (payments refunds it on the OrderRejected)', async () => {
    const { service, advance } = serviceAt('2026-03-01T10:00:00.000Z');
    const { order } = await service.place(aCustomer(), aPlaceOrderRequest(), { correlationId: 'c' });
    await service.applyInventoryOutcome(stockReserved(order.orderId));
    advance(ONE_HOUR + 1);
    await service.resolveOverdueOrders({ correlationId: 'run-1' });

    const late = await service.applyPaymentOutcome(aPaymentCaptured({ data: { orderId: order.orderId } }));

    expect(late).toEqual({ outcome: 'stale' });
    expect((await service.get(order.orderId)).status).toBe('REJECTED');
  });

  it('uses the configured limit instead of the default', async () => {
    const { service, advance } = serviceAt('2026-03-01T10:00:00.000Z', { timeouts: waitTimeouts({ PENDING: 60 }) });
    const { order } = await service.place(aCustomer(), aPlaceOrderRequest(), { correlationId: 'c' });
    advance(61_000);

    const outcomes = await service.resolveOverdueOrders({ correlationId: 'run-1' });

    expect(outcomes.map((o) => o.orderId)).toEqual([order.orderId]);
  });
});

describe('the waiting limits from the environment', () => {
  it('defaults PENDING to 15 minutes and RESERVED to an hour', () => {
    expect(timeoutsFromEnvironment({})).toEqual({ PENDING: FIFTEEN_MINUTES, RESERVED: ONE_HOUR });
  });

  it('reads PENDING_TIMEOUT_SECONDS and RESERVED_TIMEOUT_SECONDS', () => {
    expect(timeoutsFromEnvironment({ PENDING_TIMEOUT_SECONDS: '5', RESERVED_TIMEOUT_SECONDS: '7' })).toEqual({
      PENDING: 5000,
      RESERVED: 7000,
    });
  });

  it.each(['0', '-3', '1.5', 'soon'])('refuses PENDING_TIMEOUT_SECONDS=%s at cold start', (value) => {
    expect(() => timeoutsFromEnvironment({ PENDING_TIMEOUT_SECONDS: value })).toThrow(/PENDING_TIMEOUT_SECONDS/);
  });
});

describe('resolveStaleOrders', () => {
  it('rejects what the PENDING index holds past the configured limit, with OrderRejected in the same transaction', async () => {
    const dynamo = mockClient(DynamoDBDocumentClient);
    const { order } = placeOrder(aPlaceOrderRequest(), fixedDeps('2026-01-01T00:00:00.000Z'));
    dynamo.on(QueryCommand).resolves({ Items: [] });
    dynamo
      .on(QueryCommand, { ExpressionAttributeValues: { ':status': 'PENDING' } })
      .resolves({ Items: [{ PK: `ORDER#${order.orderId}`, SK: 'ORDER', entityType: 'ORDER', ...order }] });
    dynamo.on(TransactWriteCommand).resolves({});
    process.env.ORDERS_TABLE = 'orders-test';
    process.env.PAGE_CURSOR_KEY = TEST_PAGE_CURSOR_KEY;
    process.env.PENDING_TIMEOUT_SECONDS = '120';
    const { handler } = await import('../../src/handlers/resolve-stale-orders');
    const before = Date.now();

    const result = await handler({}, aLambdaContext({ functionName: 'resolve', awsRequestId: 'run-7' }));

    expect(result).toEqual({ correlationId: 'run-7', resolved: [order.orderId], movedOn: [] });
    const [query, reservedQuery] = dynamo.commandCalls(QueryCommand).map((call) => call.args[0].input);
    expect(query).toMatchObject({ IndexName: 'GSI2', ExpressionAttributeValues: { ':status': 'PENDING' } });
    expect(reservedQuery).toMatchObject({ IndexName: 'GSI2', ExpressionAttributeValues: { ':status': 'RESERVED' } });
    expect(Date.parse(query?.ExpressionAttributeValues?.[':before'])).toBeLessThanOrEqual(before - 120_000 + 1000);
    const [update, outbox] = dynamo.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(update?.Update).toMatchObject({
      ConditionExpression: '#status = :expected',
      ExpressionAttributeValues: { ':status': 'REJECTED', ':statusReason': 'RESERVATION_TIMEOUT', ':expected': 'PENDING' },
    });
    expect(update?.Update?.UpdateExpression).toContain('REMOVE GSI2PK, GSI2SK');
    expect(outbox?.Put?.Item?.event).toMatchObject({ type: 'OrderRejected', correlationId: 'run-7' });
    dynamo.restore();
    delete process.env.PENDING_TIMEOUT_SECONDS;
  });
});
