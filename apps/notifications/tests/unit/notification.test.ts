import { anOrderCancelled, anOrderPlaced } from '@storefront/testing';
import { notificationFor } from '../../src/domain/notification';

const placed = anOrderPlaced({
  id: 'evt-1',
  occurredAt: '2026-03-01T10:00:00.000Z',
  data: {
    orderId: 'o-1',
    customerId: 'c-1',
    lines: [
      { sku: 'A', quantity: 2 },
      { sku: 'B', quantity: 1 },
    ],
  },
});

describe('notifications for order events', () => {
  it('confirms a placed order with its number of items', () => {
    expect(notificationFor(placed)).toEqual({
      notificationId: 'evt-1',
      customerId: 'c-1',
      orderId: 'o-1',
      kind: 'ORDER_CONFIRMATION',
      message: 'We received your order o-1 for 3 items.',
      createdAt: '2026-03-01T10:00:00.000Z',
    });
  });

  it('tells the customer about a cancellation', () => {
    const cancelled = anOrderCancelled({ id: 'evt-2', data: { orderId: 'o-1', customerId: 'c-1', previousStatus: 'PENDING', lines: [] } });

    expect(notificationFor(cancelled)).toMatchObject({
      notificationId: 'evt-2',
      kind: 'ORDER_CANCELLATION',
      message: 'Your order o-1 was cancelled.',
    });
  });

  it('derives the notification from the event, so a redelivery is the same notification', () => {
    expect(notificationFor(placed)).toEqual(notificationFor(JSON.parse(JSON.stringify(placed))));
  });
});
