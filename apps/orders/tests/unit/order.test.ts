import { OrderEvent, parseWith } from '@storefront/contracts';
import { OrderTransitionError } from '../../src/domain/errors';
import { canTransition, cancelOrder, placeOrder } from '../../src/domain/order';
import { aPlaceOrderRequest, fixedDeps } from '../support/builders';

describe('placing an order', () => {
  it('creates a PENDING order and an OrderPlaced event with the same lines', () => {
    const { order, event } = placeOrder(aPlaceOrderRequest(), fixedDeps());

    expect(order).toEqual({
      orderId: 'id-1',
      status: 'PENDING',
      customerId: 'customer-1',
      currency: 'EUR',
      paymentMethod: 'pm_card_visa',
      lines: [{ sku: 'SKU-1', quantity: 2 }],
      createdAt: '2026-03-01T10:00:00.000Z',
      updatedAt: '2026-03-01T10:00:00.000Z',
    });
    expect(event).toMatchObject({
      id: 'id-2',
      type: 'OrderPlaced',
      version: 1,
      correlationId: 'corr-1',
      data: { orderId: 'id-1', lines: order.lines },
    });
  });

  it('merges lines for the same SKU, so stock is reserved once per SKU', () => {
    const request = aPlaceOrderRequest({
      lines: [
        { sku: 'A', quantity: 1 },
        { sku: 'B', quantity: 1 },
        { sku: 'A', quantity: 2 },
      ],
    });

    const { order } = placeOrder(request, fixedDeps());

    expect(order.lines).toEqual([
      { sku: 'A', quantity: 3 },
      { sku: 'B', quantity: 1 },
    ]);
  });
});

describe('cancelling an order', () => {
  it('cancels a pending order and records the status it had', () => {
    const { order } = placeOrder(aPlaceOrderRequest(), fixedDeps());

    const { order: cancelled, event } = cancelOrder(order, fixedDeps('2026-03-01T11:00:00.000Z'));

    expect(cancelled).toMatchObject({ status: 'CANCELLED', updatedAt: '2026-03-01T11:00:00.000Z', createdAt: order.createdAt });
    expect(event).toMatchObject({ type: 'OrderCancelled', data: { orderId: order.orderId, previousStatus: 'PENDING' } });
  });

  it('cancels a reserved order whose payment has not ended', () => {
    const { order } = placeOrder(aPlaceOrderRequest(), fixedDeps());

    const { event } = cancelOrder({ ...order, status: 'RESERVED' }, fixedDeps());

    expect(event).toMatchObject({ type: 'OrderCancelled', data: { previousStatus: 'RESERVED' } });
  });

  it.each(['CANCELLED', 'REJECTED', 'CONFIRMED', 'PAYMENT_FAILED'] as const)('refuses to cancel an order that is %s', (status) => {
    const { order } = placeOrder(aPlaceOrderRequest(), fixedDeps());

    expect(() => cancelOrder({ ...order, status }, fixedDeps())).toThrow(OrderTransitionError);
  });
});

describe('order status transitions', () => {
  it.each([
    ['PENDING', 'RESERVED', true],
    ['PENDING', 'REJECTED', true],
    ['RESERVED', 'CANCELLED', true],
    ['RESERVED', 'CONFIRMED', true],
    ['RESERVED', 'PAYMENT_FAILED', true],
    ['RESERVED', 'REJECTED', true],
    ['RESERVED', 'PENDING', false],
    ['PENDING', 'CONFIRMED', false],
    ['CONFIRMED', 'CANCELLED', false],
    ['CONFIRMED', 'PAYMENT_FAILED', false],
    ['PAYMENT_FAILED', 'CANCELLED', false],
    ['PAYMENT_FAILED', 'CONFIRMED', false],
    ['REJECTED', 'RESERVED', false],
    ['CANCELLED', 'RESERVED', false],
  ] as const)('%s -> %s allowed: %s', (from, to, allowed) => {
    expect(canTransition(from, to)).toBe(allowed);
  });
});

describe('published events honour the consumer contract', () => {
  it('every event the orders domain creates parses with the schema consumers use', () => {
    const deps = fixedDeps();
    const placed = placeOrder(aPlaceOrderRequest(), deps);
    const cancelled = cancelOrder(placed.order, deps);

    for (const event of [placed.event, cancelled.event]) {
      // The consumer reads the JSON that travelled through SNS, not the object.
      expect(parseWith(OrderEvent, JSON.parse(JSON.stringify(event)))).toEqual({ success: true, data: event });
    }
  });
});
