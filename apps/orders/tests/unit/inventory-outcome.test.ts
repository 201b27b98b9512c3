import { OrderEvent, parseWith } from '@storefront/contracts';
import { aStockRejected, aStockReserved } from '@storefront/testing';
import { applyInventoryOutcome, placeOrder, totalOf } from '../../src/domain/order';
import { OrdersService } from '../../src/domain/orders-service';
import { aCustomer, aPlaceOrderRequest, fixedDeps } from '../support/builders';
import { InMemoryOrdersRepository } from '../support/in-memory-orders-repository';

const priced = (sku: string, quantity: number, unitPrice: number, currency = 'EUR') => ({ sku, quantity, unitPrice, currency });
const reserved = (orderId: string, lines = [priced('SKU-1', 2, 1999)]) =>
  aStockReserved({ id: 'inv-1', correlationId: 'corr-inv', data: { orderId, lines } });
const rejected = (orderId: string) => aStockRejected({ id: 'inv-1', data: { orderId } });
const at = '2026-03-01T10:00:02.000Z';
const answerDeps = () => fixedDeps(at, 'corr-inv');

describe('inventory answers to an order', () => {
  const { order } = placeOrder(aPlaceOrderRequest(), fixedDeps());

  it('moves a pending order to RESERVED with its total and line prices, and OrderReserved for payments in the same decision', () => {
    const answer = reserved(order.orderId);
    const result = applyInventoryOutcome(order, answer, answerDeps());

    expect(result).toEqual({
      order: { ...order, status: 'RESERVED', total: { amount: 3998, currency: 'EUR' }, pricedLines: answer.data.lines, updatedAt: at },
      event: expect.objectContaining({
        type: 'OrderReserved',
        correlationId: 'corr-inv',
        data: {
          orderId: order.orderId,
          customerId: order.customerId,
          amount: 3998,
          currency: 'EUR',
          paymentMethod: 'pm_card_visa',
          lines: order.lines,
        },
      }),
    });
    const event = 'event' in result ? result.event : undefined;
    expect(parseWith(OrderEvent, JSON.parse(JSON.stringify(event)))).toEqual({ success: true, data: event });
  });

  it('adds up quantity × unit price over every line, at the prices inventory held', () => {
    expect(totalOf([priced('A', 3, 250), priced('B', 1, 1999), priced('C', 1000, 0)], 'EUR')).toEqual({ amount: 2749, currency: 'EUR' });
  });

  it('rejects an order with a line priced in another currency: CURRENCY_MISMATCH, and OrderRejected so inventory releases', () => {
    const mixed = reserved(order.orderId, [priced('SKU-1', 2, 1999), priced('SKU-2', 1, 500, 'USD')]);

    const result = applyInventoryOutcome(order, mixed, answerDeps());

    expect(result).toEqual({
      order: { ...order, status: 'REJECTED', statusReason: 'CURRENCY_MISMATCH', updatedAt: at },
      event: expect.objectContaining({
        type: 'OrderRejected',
        correlationId: 'corr-inv',
        data: { orderId: order.orderId, customerId: order.customerId, previousStatus: 'PENDING', reason: 'CURRENCY_MISMATCH' },
      }),
    });
    expect('order' in result && result.order.total).toBeFalsy();
  });

  it('moves a pending order to REJECTED and keeps the reasons, publishing nothing', () => {
    const result = applyInventoryOutcome(order, rejected(order.orderId), answerDeps());

    expect(result).toEqual({
      order: expect.objectContaining({ status: 'REJECTED', rejectionReasons: rejected(order.orderId).data.reasons }),
    });
  });

  it('ignores the same answer twice', () => {
    const mixed = reserved(order.orderId, [priced('SKU-1', 2, 1999, 'USD')]);

    expect(applyInventoryOutcome({ ...order, status: 'RESERVED' }, reserved(order.orderId), answerDeps())).toEqual({
      ignored: 'duplicate',
    });
    expect(applyInventoryOutcome({ ...order, status: 'REJECTED' }, mixed, answerDeps())).toEqual({ ignored: 'duplicate' });
  });

  it('ignores an answer for an order that moved on', () => {
    expect(applyInventoryOutcome({ ...order, status: 'CANCELLED' }, reserved(order.orderId), answerDeps())).toEqual({ ignored: 'stale' });
    expect(applyInventoryOutcome({ ...order, status: 'RESERVED' }, rejected(order.orderId), answerDeps())).toEqual({ ignored: 'stale' });
    expect(applyInventoryOutcome({ ...order, status: 'CONFIRMED' }, rejected(order.orderId), answerDeps())).toEqual({ ignored: 'stale' });
  });
});

describe('OrdersService.applyInventoryOutcome', () => {
  it('stores the new status and OrderReserved once, and acknowledges the duplicate', async () => {
    const repository = new InMemoryOrdersRepository();
    const service = new OrdersService({ repository, now: () => new Date(at), newId: () => 'id' });
    const { order } = await service.place(aCustomer(), aPlaceOrderRequest(), { correlationId: 'corr-1' });

    const outcomes = [
      await service.applyInventoryOutcome(reserved(order.orderId)),
      await service.applyInventoryOutcome(reserved(order.orderId)),
    ];

    expect(outcomes.map((answer) => answer.outcome)).toEqual(['applied', 'duplicate']);
    expect(outcomes[0]?.movedTo).toBe('RESERVED');
    expect(repository.orders.get(order.orderId)).toMatchObject({ status: 'RESERVED', total: { amount: 3998, currency: 'EUR' } });
    expect(repository.events.map((e) => e.type)).toEqual(['OrderPlaced', 'OrderReserved']);
  });
});
