import type { Context } from 'aws-lambda';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { OrdersService, PENDING_TOO_LONG_MS } from '../../src/domain/orders-service';
import { aPlaceOrderRequest } from '../support/builders';
import { InMemoryOrdersRepository } from '../support/in-memory-orders-repository';
import { TEST_PAGE_CURSOR_KEY } from '@storefront/testing';

describe('orders that wait too long for inventory', () => {
  it('are the PENDING ones older than the limit, oldest first', async () => {
    const repository = new InMemoryOrdersRepository();
    let now = new Date('2026-03-01T10:00:00.000Z');
    let id = 0;
    const service = new OrdersService({ repository, now: () => now, newId: () => `id-${++id}` });
    const old = await service.place(aPlaceOrderRequest(), { correlationId: 'c' });
    now = new Date(now.getTime() + 60_000);
    const oldButAnswered = await service.place(aPlaceOrderRequest(), { correlationId: 'c' });
    await service.cancel(oldButAnswered.order.orderId, { correlationId: 'c' });
    now = new Date(now.getTime() + PENDING_TOO_LONG_MS);
    await service.place(aPlaceOrderRequest(), { correlationId: 'c' });

    const stale = await service.stalePendingOrders();

    expect(stale.map((o) => o.orderId)).toEqual([old.order.orderId]);
  });
});

describe('reportStaleOrders', () => {
  it('queries the sparse PENDING index for orders older than 15 minutes', async () => {
    const dynamo = mockClient(DynamoDBDocumentClient);
    dynamo.on(QueryCommand).resolves({
      Items: [
        {
          orderId: 'o-1',
          status: 'PENDING',
          customerId: 'c',
          currency: 'EUR',
          lines: [],
          createdAt: '2026-01-01T00:00:00.000Z',
          updatedAt: '2026-01-01T00:00:00.000Z',
        },
      ],
    });
    process.env.ORDERS_TABLE = 'orders-test';
    process.env.PAGE_CURSOR_KEY = TEST_PAGE_CURSOR_KEY;
    const { handler } = await import('../../src/handlers/report-stale-orders');
    const before = Date.now();

    const result = await handler({}, { functionName: 'report' } as Context);

    expect(result).toEqual({ stale: 1 });
    const input = dynamo.commandCalls(QueryCommand)[0]?.args[0].input;
    expect(input).toMatchObject({ IndexName: 'GSI2', ExpressionAttributeValues: { ':pending': 'PENDING' } });
    expect(Date.parse(input?.ExpressionAttributeValues?.[':before'])).toBeLessThanOrEqual(before - PENDING_TOO_LONG_MS + 1000);
    dynamo.restore();
  });
});
