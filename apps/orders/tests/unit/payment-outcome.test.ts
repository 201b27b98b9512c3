import { aPaymentCaptured, aPaymentFailed } from '@storefront/testing';
import { applyPaymentOutcome, placeOrder, type Order } from '../../src/domain/order';
import { OrdersService } from '../../src/domain/orders-service';
import { aCustomer, aPlaceOrderRequest, fixedDeps } from '../support/builders';
import { InMemoryOrdersRepository } from '../support/in-memory-orders-repository';

const at = new Date('2026-03-01T10:01:00.000Z');
const total = { amount: 3998, currency: 'EUR' };
const { order: placed } = placeOrder(aPlaceOrderRequest(), fixedDeps());
const reservedOrder: Order = { ...placed, status: 'RESERVED', total };
const captured = aPaymentCaptured({ data: { orderId: placed.orderId, providerReference: 'pi_42' } });
const declined = aPaymentFailed({
  data: { orderId: placed.orderId, reason: 'DECLINED', detail: 'insufficient_funds', providerReference: 'pi_43' },
});

describe('the payment outcome of a reserved order', () => {
  it('confirms the order when the payment was captured, keeping the provider reference', () => {
    expect(applyPaymentOutcome(reservedOrder, captured, at)).toEqual({
      order: {
        ...reservedOrder,
        status: 'CONFIRMED',
        payment: { status: 'CAPTURED', providerReference: 'pi_42' },
        updatedAt: at.toISOString(),
      },
    });
  });

  it('marks the order PAYMENT_FAILED with the reason and the decline code', () => {
    expect(applyPaymentOutcome(reservedOrder, declined, at)).toEqual({
      order: {
        ...reservedOrder,
        status: 'PAYMENT_FAILED',
        payment: { status: 'FAILED', reason: 'DECLINED', detail: 'insufficient_funds', providerReference: 'pi_43' },
        updatedAt: at.toISOString(),
      },
    });
  });

  it('keeps only what a failure carries: an outage has no decline code and maybe no provider reference', () => {
    const outage = aPaymentFailed({
      data: { orderId: placed.orderId, reason: 'PROVIDER_UNAVAILABLE', detail: undefined, providerReference: undefined },
    });

    const result = applyPaymentOutcome(reservedOrder, outage, at);

    expect('order' in result && result.order.payment).toEqual({ status: 'FAILED', reason: 'PROVIDER_UNAVAILABLE' });
  });

  it('publishes nothing: inventory and payments hear the payment events themselves', () => {
    expect(applyPaymentOutcome(reservedOrder, captured, at)).not.toHaveProperty('event');
  });

  it('ignores the same outcome twice', () => {
    expect(applyPaymentOutcome({ ...reservedOrder, status: 'CONFIRMED' }, captured, at)).toEqual({ ignored: 'duplicate' });
    expect(applyPaymentOutcome({ ...reservedOrder, status: 'PAYMENT_FAILED' }, declined, at)).toEqual({ ignored: 'duplicate' });
  });

  it.each(['PENDING', 'CANCELLED', 'REJECTED'] as const)('ignores an outcome for an order that is %s', (status) => {
    expect(applyPaymentOutcome({ ...reservedOrder, status }, captured, at)).toEqual({ ignored: 'stale' });
    expect(applyPaymentOutcome({ ...reservedOrder, status }, declined, at)).toEqual({ ignored: 'stale' });
  });

  it('lets neither outcome overturn the other', () => {
    expect(applyPaymentOutcome({ ...reservedOrder, status: 'CONFIRMED' }, declined, at)).toEqual({ ignored: 'stale' });
    expect(applyPaymentOutcome({ ...reservedOrder, status: 'PAYMENT_FAILED' }, captured, at)).toEqual({ ignored: 'stale' });
  });
});

describe('OrdersService.applyPaymentOutcome', () => {
  function reservedService() {
    const repository = new InMemoryOrdersRepository();
    const service = new OrdersService({ repository, now: () => at, newId: () => 'id' });
    repository.orders.set(reservedOrder.orderId, reservedOrder);
    return { repository, service };
  }

  it('stores CONFIRMED once and acknowledges the redelivery, writing no event', async () => {
    const { repository, service } = reservedService();

    const outcomes = [await service.applyPaymentOutcome(captured), await service.applyPaymentOutcome(captured)];

    expect(outcomes).toEqual(['applied', 'duplicate']);
    expect(await service.get(placed.orderId)).toMatchObject({ status: 'CONFIRMED', total, payment: { status: 'CAPTURED' } });
    expect(repository.events).toEqual([]);
  });

  it('leaves a cancelled order cancelled when its payment is captured afterwards', async () => {
    const { service } = reservedService();
    await service.cancel(aCustomer(), placed.orderId, { correlationId: 'corr-cancel' });

    const outcome = await service.applyPaymentOutcome(captured);

    expect(outcome).toBe('stale');
    expect((await service.get(placed.orderId)).status).toBe('CANCELLED');
  });

  it('decides again when a cancel lands between reading the order and writing the outcome', async () => {
    const { repository, service } = reservedService();
    const read = repository.get.bind(repository);
    let reads = 0;
    repository.get = async (orderId) => {
      const found = await read(orderId);
      if (++reads === 1) await service.cancel(aCustomer(), orderId, { correlationId: 'corr-cancel' });
      return found;
    };

    const outcome = await service.applyPaymentOutcome(declined);

    expect(outcome).toBe('stale');
    expect((await read(placed.orderId))?.status).toBe('CANCELLED');
  });
});
