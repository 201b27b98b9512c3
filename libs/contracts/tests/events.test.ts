import { InventoryEvent, newEvent, OrderEvent, parseWith } from '../src';

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

describe('newEvent', () => {
  const metadata = { id: 'evt-9', at: new Date('2026-01-02T03:04:05.000Z'), source: 'storefront.inventory', correlationId: 'corr-9' };

  it('wraps the data in the envelope every event shares, at the current version', () => {
    const event = newEvent('StockReleased', { orderId: 'o-1', lines: [{ sku: 'A', quantity: 2 }] }, metadata);

    expect(event).toEqual({
      id: 'evt-9',
      type: 'StockReleased',
      version: 1,
      occurredAt: '2026-01-02T03:04:05.000Z',
      source: 'storefront.inventory',
      correlationId: 'corr-9',
      data: { orderId: 'o-1', lines: [{ sku: 'A', quantity: 2 }] },
    });
  });

  it('builds events their consumers read', () => {
    const placed = newEvent(
      'OrderPlaced',
      { orderId: 'o-1', customerId: 'c-1', currency: 'EUR', lines: [{ sku: 'A', quantity: 1 }] },
      { ...metadata, source: 'storefront.orders' },
    );
    const rejected = newEvent('StockRejected', { orderId: 'o-1', reasons: [{ sku: 'A', reason: 'UNKNOWN_SKU', requested: 1 }] }, metadata);

    expect(parseWith(OrderEvent, placed)).toEqual({ success: true, data: placed });
    expect(parseWith(InventoryEvent, rejected)).toEqual({ success: true, data: rejected });
  });
});
