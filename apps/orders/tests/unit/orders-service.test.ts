import type { OrderEvent } from '@storefront/contracts';
import { ConcurrentOrderUpdateError, IdempotencyKeyReusedError, OrderNotFoundError, OrderTransitionError } from '../../src/domain/errors';
import type { Order, OrderStatus } from '../../src/domain/order';
import { OrdersService } from '../../src/domain/orders-service';
import { aCustomer, aPlaceOrderRequest } from '../support/builders';
import { InMemoryOrdersRepository } from '../support/in-memory-orders-repository';

/**
 * An orders table that another writer (a saga step) beats to the next status writes: just before each of them, the
 * stored order moves on as `racers` says, one racer per write, so that write finds the status it expected gone.
 * It records whether each read asked to be consistent.
 */
class RacedRepository extends InMemoryOrdersRepository {
  readonly consistentReads: boolean[] = [];
  private readonly racers: ((stored: Order) => Order)[] = [];

  /** The next status writes each lose to one of these moves, in turn. */
  loseNextWritesTo(...racers: ((stored: Order) => Order)[]) {
    this.racers.push(...racers);
  }

  override async get(orderId: string, options?: { consistent?: boolean }) {
    this.consistentReads.push(options?.consistent ?? false);
    return super.get(orderId);
  }

  override async transition(order: Order, expected: OrderStatus, event?: OrderEvent) {
    const racer = this.racers.shift();
    const stored = this.orders.get(order.orderId);
    if (racer && stored) this.orders.set(order.orderId, racer(stored));
    return super.transition(order, expected, event);
  }
}

const movedTo =
  (status: OrderStatus) =>
  (stored: Order): Order => ({ ...stored, status });

function setup(repository = new InMemoryOrdersRepository()) {
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

  it('cancels an order that inventory reserved between the cancel’s read and its write, from RESERVED, on a consistent re-read', async () => {
    const repository = new RacedRepository();
    const { service } = setup(repository);
    const { order } = await service.place(aCustomer(), aPlaceOrderRequest(), { correlationId: 'corr-1' });
    repository.loseNextWritesTo(movedTo('RESERVED'));

    const cancelled = await service.cancel(aCustomer(), order.orderId, { correlationId: 'corr-2' });

    expect(cancelled.status).toBe('CANCELLED');
    expect(repository.orders.get(order.orderId)?.status).toBe('CANCELLED');
    expect(repository.events.map((e) => [e.type, 'previousStatus' in e.data ? e.data.previousStatus : undefined])).toEqual([
      ['OrderPlaced', undefined],
      ['OrderCancelled', 'RESERVED'],
    ]);
    expect(repository.consistentReads).toEqual([false, true]);
  });

  it('refuses a cancel that lost its race twice, to RESERVED and then to CONFIRMED, naming CONFIRMED', async () => {
    const repository = new RacedRepository();
    const { service } = setup(repository);
    const { order } = await service.place(aCustomer(), aPlaceOrderRequest(), { correlationId: 'corr-1' });
    repository.loseNextWritesTo(movedTo('RESERVED'), movedTo('CONFIRMED'));

    const cancel = service.cancel(aCustomer(), order.orderId, { correlationId: 'corr-2' });

    await expect(cancel).rejects.toThrow(`Order ${order.orderId} is CONFIRMED and cannot become CANCELLED`);
    expect(repository.consistentReads).toEqual([false, true, true]);
  });

  it.each<OrderStatus>(['CONFIRMED', 'PAYMENT_FAILED', 'REJECTED', 'CANCELLED'])(
    'refuses a cancel that lost its race to %s with a conflict naming that status, and writes nothing',
    async (status) => {
      const repository = new RacedRepository();
      const { service } = setup(repository);
      const { order } = await service.place(aCustomer(), aPlaceOrderRequest(), { correlationId: 'corr-1' });
      repository.loseNextWritesTo(movedTo(status));

      const cancel = service.cancel(aCustomer(), order.orderId, { correlationId: 'corr-2' });

      await expect(cancel).rejects.toBeInstanceOf(OrderTransitionError);
      await expect(cancel).rejects.toThrow(`is ${status} and cannot become CANCELLED`);
      expect(repository.orders.get(order.orderId)?.status).toBe(status);
      expect(repository.events.map((e) => e.type)).toEqual(['OrderPlaced']);
    },
  );

  it('still answers a conflict when the order changed under every one of three tries, rather than try for ever', async () => {
    const repository = new RacedRepository();
    const { service } = setup(repository);
    const { order } = await service.place(aCustomer(), aPlaceOrderRequest(), { correlationId: 'corr-1' });
    // Not a race real statuses can run (they only move forward): the bound on tries, seen from outside.
    repository.loseNextWritesTo(movedTo('RESERVED'), movedTo('PENDING'), movedTo('RESERVED'), movedTo('PENDING'));

    const cancel = service.cancel(aCustomer(), order.orderId, { correlationId: 'corr-2' });

    await expect(cancel).rejects.toBeInstanceOf(ConcurrentOrderUpdateError);
    expect(repository.consistentReads).toEqual([false, true, true]);
    expect(repository.events.map((e) => e.type)).toEqual(['OrderPlaced']);
  });
});
