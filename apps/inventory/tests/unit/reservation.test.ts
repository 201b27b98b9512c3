import { InventoryEvent, parseWith } from '@storefront/contracts';
import { pricedLines, rejectionReasons, stockRejected, stockReleased, stockReserved } from '../../src/domain/reservation';
import { anOrderFor, cancellationOf, ids, paymentFailureOf } from '../support/events';

describe('deciding whether an order can be held', () => {
  it('has no reasons when every line is in stock', () => {
    expect(rejectionReasons([{ sku: 'A', quantity: 2 }], [{ sku: 'A', stock: 2 }])).toEqual([]);
  });

  it('names each line that cannot be held, and why', () => {
    const reasons = rejectionReasons(
      [
        { sku: 'A', quantity: 1 },
        { sku: 'B', quantity: 5 },
        { sku: 'GHOST', quantity: 1 },
      ],
      [
        { sku: 'A', stock: 3 },
        { sku: 'B', stock: 4 },
      ],
    );

    expect(reasons).toEqual([
      { sku: 'B', reason: 'INSUFFICIENT_STOCK', requested: 5, available: 4 },
      { sku: 'GHOST', reason: 'UNKNOWN_SKU', requested: 1 },
    ]);
  });
});

describe('pricing the lines of a held order', () => {
  it('holds each line at its product price and currency', () => {
    const lines = pricedLines(
      [
        { sku: 'A', quantity: 2 },
        { sku: 'B', quantity: 1 },
      ],
      [
        { sku: 'B', stock: 9, price: 500, currency: 'USD' },
        { sku: 'A', stock: 3, price: 1999, currency: 'EUR' },
      ],
    );

    expect(lines).toEqual([
      { sku: 'A', quantity: 2, unitPrice: 1999, currency: 'EUR' },
      { sku: 'B', quantity: 1, unitPrice: 500, currency: 'USD' },
    ]);
  });
});

describe('events inventory publishes', () => {
  const held = [{ sku: 'A', quantity: 1, unitPrice: 1999, currency: 'EUR' }];

  it('every one parses with the schema the orders consumer reads', () => {
    const placed = anOrderFor([{ sku: 'A', quantity: 1 }]);
    const events = [
      stockReserved(placed, held, ids()),
      stockRejected(placed, [{ sku: 'A', reason: 'INSUFFICIENT_STOCK', requested: 1, available: 0 }], ids()),
      stockReleased(cancellationOf(placed), placed.data.lines, ids()),
      stockReleased(paymentFailureOf(placed), held, ids()),
    ];

    for (const event of events) {
      expect(parseWith(InventoryEvent, JSON.parse(JSON.stringify(event)))).toEqual({ success: true, data: event });
    }
  });

  it('carries the order correlation id on', () => {
    const placed = anOrderFor([{ sku: 'A', quantity: 1 }]);

    expect(stockReserved(placed, held, ids()).correlationId).toBe(placed.correlationId);
  });

  it('releases the held units without their prices', () => {
    const placed = anOrderFor([{ sku: 'A', quantity: 1 }]);

    expect(stockReleased(paymentFailureOf(placed), held, ids()).data.lines).toEqual([{ sku: 'A', quantity: 1 }]);
  });
});
