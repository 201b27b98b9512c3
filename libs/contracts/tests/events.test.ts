import { OrderEvent, parseWith } from '../src';

const envelope = {
  id: 'evt-1',
  version: 1,
  occurredAt: '2026-01-02T03:04:05.000Z',
  source: 'storefront.orders',
  correlationId: 'corr-1',
};

describe('order events', () => {
  it('reads an OrderPlaced envelope', () => {
    const event = {
      ...envelope,
      type: 'OrderPlaced',
      data: { orderId: 'o-1', customerId: 'c-1', currency: 'EUR', lines: [{ sku: 'A', quantity: 1 }] },
    };

    const result = parseWith(OrderEvent, event);

    expect(result).toEqual({ success: true, data: event });
  });

  it('reads an OrderRejected envelope, the reason included', () => {
    const event = {
      ...envelope,
      type: 'OrderRejected',
      data: { orderId: 'o-1', customerId: 'c-1', previousStatus: 'PENDING', reason: 'RESERVATION_TIMEOUT' },
    };

    expect(parseWith(OrderEvent, event)).toEqual({ success: true, data: event });
    expect(parseWith(OrderEvent, { ...event, data: { ...event.data, reason: 'BORED' } }).success).toBe(false);
  });

  it('refuses an OrderPlaced whose lines break the order rule, as the API refuses the request', () => {
    const placed = (lines: unknown[]) => ({
      ...envelope,
      type: 'OrderPlaced',
      data: { orderId: 'o-1', customerId: 'c-1', currency: 'EUR', lines },
    });

    const duplicate = parseWith(
      OrderEvent,
      placed([
        { sku: 'A', quantity: 1 },
        { sku: 'A', quantity: 1 },
      ]),
    );
    const tooMany = parseWith(OrderEvent, placed([{ sku: 'A', quantity: 1001 }]));

    expect(duplicate.success).toBe(false);
    expect(tooMany).toEqual({ success: false, issues: [{ path: 'data.lines', message: 'SKU A totals 1001 units; at most 1000 per SKU' }] });
  });

  it('refuses an event of an unknown type', () => {
    const result = parseWith(OrderEvent, { ...envelope, type: 'OrderShipped', data: {} });

    expect(result.success).toBe(false);
  });

  it('refuses a version it does not know, so a breaking change cannot slip through', () => {
    const result = parseWith(OrderEvent, {
      ...envelope,
      version: 2,
      type: 'OrderPlaced',
      data: { orderId: 'o-1', customerId: 'c-1', currency: 'EUR', lines: [{ sku: 'A', quantity: 1 }] },
    });

    expect(result.success).toBe(false);
  });

  it('refuses an envelope without a correlation id', () => {
    const { correlationId: _omitted, ...withoutCorrelation } = envelope;

    const result = parseWith(OrderEvent, {
      ...withoutCorrelation,
      type: 'OrderCancelled',
      data: { orderId: 'o-1', customerId: 'c-1', previousStatus: 'PENDING', lines: [] },
    });

    expect(result.success).toBe(false);
  });
});
