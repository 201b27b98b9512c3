import { OrderEvent, parseWith } from '@storefront/contracts';
import { aPaymentCaptured, aPaymentFailed } from '@storefront/testing';
import { applyPaymentOutcome, placeOrder, type Order } from '../../src/domain/order';
import { OrdersService } from '../../src/domain/orders-service';
import { aCustomer, aPlaceOrderRequest, fixedDeps } from '../support/builders';
import { InMemoryOrdersRepository } from '../support/in-memory-orders-repository';

const at = new Date('2026-03-01T10:01:00.000Z');
const deps = { ...fixedDeps(at.toISOString(), 'corr-paid'), newId: () => 'evt-confirmed' };
const total = { amount: 3998, currency: 'EUR' };
const pricedLines = [{ sku: 'SKU-1', quantity: 2, unitPrice: 1999, currency: 'EUR' }];
const { order: placed } = placeOrder(aPlaceOrderRequest(), fixedDeps());
const reservedOrder: Order = { ...placed, status: 'RESERVED', total, pricedLines };
const captured = aPaymentCaptured({ data: { orderId: placed.orderId, providerReference: 'pi_42' } });
const declined = aPaymentFailed({
  data: { orderId: placed.orderId, reason: 'DECLINED', detail: 'insufficient_funds', providerReference: 'pi_43' },
});

describe('the payment outcome of a reserved order', () => {
  it('confirms the order when the payment was captured, keeping the provider reference', () => {
    expect(applyPaymentOutcome(reservedOrder, captured, deps)).toMatchObject({
      order: {
        ...reservedOrder,
        status: 'CONFIRMED',
        payment: { status: 'CAPTURED', providerReference: 'pi_42' },
        updatedAt: at.toISOString(),
      },
    });
  });

  it('announces a confirmed order with what it sold, line by line at the reserved prices (OrderConfirmed)', () => {
    const decision = applyPaymentOutcome(reservedOrder, captured, deps);

    expect('event' in decision && decision.event).toEqual({
      id: 'evt-confirmed',
      type: 'OrderConfirmed',
      version: 1,
      occurredAt: at.toISOString(),
      source: 'storefront.orders',
      correlationId: 'corr-paid',
      data: {
        orderId: placed.orderId,
        customerId: 'customer-1',
        amount: 3998,
        currency: 'EUR',
        lines: pricedLines,
        providerReference: 'pi_42',
      },
    });
    expect(parseWith(OrderEvent, 'event' in decision ? decision.event : undefined).success).toBe(true);
  });

  it('confirms an order reserved before its line prices were kept without announcing it: there are no prices to tell', () => {
    const { pricedLines: _none, ...reservedWithoutPrices } = reservedOrder;

    const decision = applyPaymentOutcome(reservedWithoutPrices, captured, deps);

    expect(decision).toMatchObject({ order: { status: 'CONFIRMED' } });
    expect(decision).not.toHaveProperty('event');
  });

  it('marks the order PAYMENT_FAILED with the reason and the decline code', () => {
    expect(applyPaymentOutcome(reservedOrder, declined, deps)).toEqual({
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

    const result = applyPaymentOutcome(reservedOrder, outage, deps);

    expect('order' in result && result.order.payment).toEqual({ status: 'FAILED', reason: 'PROVIDER_UNAVAILABLE' });
  });

  it('publishes nothing for a failed payment: inventory and payments hear PaymentFailed themselves', () => {
    expect(applyPaymentOutcome(reservedOrder, declined, deps)).not.toHaveProperty('event');
  });

  it('ignores the same outcome twice', () => {
    expect(applyPaymentOutcome({ ...reservedOrder, status: 'CONFIRMED' }, captured, deps)).toEqual({ ignored: 'duplicate' });
    expect(applyPaymentOutcome({ ...reservedOrder, status: 'PAYMENT_FAILED' }, declined, deps)).toEqual({ ignored: 'duplicate' });
  });

  it.each(['PENDING', 'CANCELLED', 'REJECTED'] as const)('ignores an outcome for an order that is %s', (status) => {
    expect(applyPaymentOutcome({ ...reservedOrder, status }, captured, deps)).toEqual({ ignored: 'stale' });
    expect(applyPaymentOutcome({ ...reservedOrder, status }, declined, deps)).toEqual({ ignored: 'stale' });
  });

  it('lets neither outcome overturn the other', () => {
    expect(applyPaymentOutcome({ ...reservedOrder, status: 'CONFIRMED' }, declined, deps)).toEqual({ ignored: 'stale' });
    expect(applyPaymentOutcome({ ...reservedOrder, status: 'PAYMENT_FAILED' }, captured, deps)).toEqual({ ignored: 'stale' });
  });
});

describe('OrdersService.applyPaymentOutcome', () => {
  function reservedService() {
    const repository = new InMemoryOrdersRepository();
    const service = new OrdersService({ repository, now: () => at, newId: () => 'id' });
    repository.orders.set(reservedOrder.orderId, reservedOrder);
    return { repository, service };
  }

  it('stores CONFIRMED once with one OrderConfirmed, and acknowledges the redelivery', async () => {
    const { repository, service } = reservedService();

    const outcomes = [await service.applyPaymentOutcome(captured), await service.applyPaymentOutcome(captured)];

    expect(outcomes.map((answer) => answer.outcome)).toEqual(['applied', 'duplicate']);
    expect(outcomes[0]?.movedTo).toBe('CONFIRMED');
    expect(await service.get(placed.orderId)).toMatchObject({ status: 'CONFIRMED', total, payment: { status: 'CAPTURED' } });
    expect(repository.events.map((e) => e.type)).toEqual(['OrderConfirmed']);
  });

  it('leaves a cancelled order cancelled when its payment is captured afterwards', async () => {
    const { service } = reservedService();
    await service.cancel(aCustomer(), placed.orderId, { correlationId: 'corr-cancel' });

    const outcome = await service.applyPaymentOutcome(captured);

    expect(outcome).toEqual({ outcome: 'stale' });
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

    expect(outcome).toEqual({ outcome: 'stale' });
    expect((await read(placed.orderId))?.status).toBe('CANCELLED');
  });
});
