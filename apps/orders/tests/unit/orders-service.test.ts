import { IdempotencyKeyReusedError, OrderNotFoundError, OrderTransitionError } from '../../src/domain/errors';
import { OrdersService } from '../../src/domain/orders-service';
import { aCustomer, aPlaceOrderRequest } from '../support/builders';
import { InMemoryOrdersRepository } from '../support/in-memory-orders-repository';

function setup() {
  const repository = new InMemoryOrdersRepository();
  let next = 0;
  const service = new OrdersService({ repository, now: () => new Date('2026-03-01T10:00:00.000Z'), newId: () => `id-${++next}` });
  return { repository, service };
}

describe('OrdersService', () => {
  it('stores a placed order together with its OrderPlaced event', async () => {
    const { repository, service } = setup();

    const { order, replayed } = await service.place(aCustomer(), aPlaceOrderRequest(), { correlationId: 'corr-1' });

    expect(replayed).toBe(false);
    expect(repository.orders.get(order.orderId)).toEqual(order);
    expect(repository.events.map((e) => e.type)).toEqual(['OrderPlaced']);
  });

  it('answers a repeated Idempotency-Key with the original order and writes nothing new', async () => {
    const { repository, service } = setup();
    const first = await service.place(aCustomer(), aPlaceOrderRequest(), { correlationId: 'corr-1', idempotencyKey: 'key-1' });

    const second = await service.place(aCustomer(), aPlaceOrderRequest(), { correlationId: 'corr-2', idempotencyKey: 'key-1' });

    expect(second).toEqual({ order: first.order, replayed: true });
    expect(repository.orders.size).toBe(1);
    expect(repository.events).toHaveLength(1);
  });

  it('refuses an Idempotency-Key reused with a different body', async () => {
    const { service } = setup();
    await service.place(aCustomer(), aPlaceOrderRequest(), { correlationId: 'corr-1', idempotencyKey: 'key-1' });

    const reuse = service.place(aCustomer(), aPlaceOrderRequest({ currency: 'USD' }), { correlationId: 'corr-2', idempotencyKey: 'key-1' });

    await expect(reuse).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
  });

  it('reports an unknown order as not found', async () => {
    const { service } = setup();

    await expect(service.get('nope')).rejects.toBeInstanceOf(OrderNotFoundError);
  });

  it('cancels a pending order once, and refuses the second cancel', async () => {
    const { repository, service } = setup();
    const { order } = await service.place(aCustomer(), aPlaceOrderRequest(), { correlationId: 'corr-1' });

    const cancelled = await service.cancel(aCustomer(), order.orderId, { correlationId: 'corr-2' });
    const again = service.cancel(aCustomer(), order.orderId, { correlationId: 'corr-3' });

    expect(cancelled.status).toBe('CANCELLED');
    await expect(again).rejects.toBeInstanceOf(OrderTransitionError);
    expect(repository.events.map((e) => e.type)).toEqual(['OrderPlaced', 'OrderCancelled']);
  });
});
