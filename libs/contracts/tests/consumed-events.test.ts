import { eventsOf, parseWith } from '../src';

const envelope = { id: 'evt-1', version: 1, occurredAt: '2026-01-02T03:04:05.000Z', source: 'storefront.orders', correlationId: 'corr-1' };
const placed = {
  ...envelope,
  type: 'OrderPlaced',
  data: { orderId: 'o-1', customerId: 'c-1', currency: 'EUR', lines: [{ sku: 'A', quantity: 1 }] },
};
const cancelled = {
  ...envelope,
  type: 'OrderCancelled',
  data: { orderId: 'o-1', customerId: 'c-1', previousStatus: 'PENDING', lines: [{ sku: 'A', quantity: 1 }] },
};
const rejected = {
  ...envelope,
  type: 'OrderRejected',
  data: { orderId: 'o-1', customerId: 'c-1', previousStatus: 'PENDING', reason: 'RESERVATION_TIMEOUT' },
};

describe('the schema of the events a consumer declares it consumes', () => {
  const consumed = eventsOf(['OrderPlaced', 'OrderCancelled']);

  it('reads each event of the types it names', () => {
    expect(parseWith(consumed, placed)).toEqual({ success: true, data: placed });
    expect(parseWith(consumed, cancelled)).toEqual({ success: true, data: cancelled });
  });

  it('refuses an event of a type it does not name, though the contracts know it, naming the types it takes', () => {
    expect(parseWith(consumed, rejected)).toEqual({
      success: false,
      issues: [{ path: 'type', message: expect.stringContaining("'OrderPlaced' | 'OrderCancelled'") }],
    });
  });

  it('still refuses a named event that breaks its contract, saying where', () => {
    const result = parseWith(consumed, { ...placed, data: { ...placed.data, lines: [] } });

    expect(result).toEqual({ success: false, issues: [{ path: 'data.lines', message: expect.any(String) }] });
  });

  it('takes types from any topic, each in the version producers write', () => {
    const reserved = {
      ...envelope,
      version: 2,
      type: 'StockReserved',
      source: 'storefront.inventory',
      data: { orderId: 'o-1', lines: [{ sku: 'A', quantity: 1, unitPrice: 1999, currency: 'EUR' }] },
    };

    expect(parseWith(eventsOf(['StockReserved']), reserved)).toEqual({ success: true, data: reserved });
  });

  it('names only event types the contracts describe', () => {
    // @ts-expect-error A misspelt type fails typecheck rather than filtering out every event.
    expect(() => eventsOf(['OrderPlacd'])).toThrow('no contract describes OrderPlacd');
  });
});
