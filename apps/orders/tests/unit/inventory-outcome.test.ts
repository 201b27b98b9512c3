import { aStockRejected, aStockReserved } from '@storefront/testing';
import { applyInventoryOutcome, placeOrder } from '../../src/domain/order';
import { OrdersService } from '../../src/domain/orders-service';
import { aPlaceOrderRequest, fixedDeps } from '../support/builders';
import { InMemoryOrdersRepository } from '../support/in-memory-orders-repository';

const reserved = (orderId: string) => aStockReserved({ id: 'inv-1', data: { orderId } });
const rejected = (orderId: string) => aStockRejected({ id: 'inv-1', data: { orderId } });
const at = new Date('2026-03-01T10:00:02.000Z');

describe('inventory answers to an order', () => {
  const { order } = placeOrder(aPlaceOrderRequest(), fixedDeps());

  it('moves a pending order to RESERVED', () => {
    expect(applyInventoryOutcome(order, reserved(order.orderId), at)).toEqual({
      order: { ...order, status: 'RESERVED', updatedAt: at.toISOString() },
    });
  });

  it('moves a pending order to REJECTED and keeps the reasons', () => {
    const result = applyInventoryOutcome(order, rejected(order.orderId), at);

    expect(result).toEqual({
      order: expect.objectContaining({ status: 'REJECTED', rejectionReasons: rejected(order.orderId).data.reasons }),
    });
  });

  it('ignores the same answer twice', () => {
    expect(applyInventoryOutcome({ ...order, status: 'RESERVED' }, reserved(order.orderId), at)).toEqual({ ignored: 'duplicate' });
  });

  it('ignores an answer for an order that moved on', () => {
    expect(applyInventoryOutcome({ ...order, status: 'CANCELLED' }, reserved(order.orderId), at)).toEqual({ ignored: 'stale' });
    expect(applyInventoryOutcome({ ...order, status: 'RESERVED' }, rejected(order.orderId), at)).toEqual({ ignored: 'stale' });
  });
});

describe('OrdersService.applyInventoryOutcome', () => {
  it('stores the new status once and acknowledges the duplicate', async () => {
    const repository = new InMemoryOrdersRepository();
    const service = new OrdersService({ repository, now: () => at, newId: () => 'id' });
    const { order } = await service.place(aPlaceOrderRequest(), { correlationId: 'corr-1' });

    const outcomes = [
      await service.applyInventoryOutcome(reserved(order.orderId)),
      await service.applyInventoryOutcome(reserved(order.orderId)),
    ];

    expect(outcomes).toEqual(['applied', 'duplicate']);
    expect(repository.orders.get(order.orderId)?.status).toBe('RESERVED');
  });
});
