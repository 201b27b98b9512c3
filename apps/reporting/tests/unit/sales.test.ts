import { aPaymentRefunded, anOrderConfirmed } from '@storefront/testing';
import { countRefund, countSale, NO_FIGURES, refundOf, utcDay, type OrderSales } from '../../src/domain/sales';

const lines = [
  { sku: 'A', quantity: 2, unitPrice: 1000, currency: 'EUR' },
  { sku: 'B', quantity: 1, unitPrice: 550, currency: 'EUR' },
];
const confirmed = anOrderConfirmed({ occurredAt: '2026-03-01T23:59:59.000Z', data: { orderId: 'o-1', amount: 2550, lines } });
const refunded = aPaymentRefunded({
  occurredAt: '2026-03-04T08:00:00.000Z',
  data: { orderId: 'o-1', amount: 2550, refundReference: 're_1' },
});

describe('counting a paid order', () => {
  it('adds one order, its units and revenue to the UTC day it was confirmed, in total and per SKU', () => {
    const decision = countSale(undefined, confirmed);

    expect(decision).toEqual({
      record: {
        orderId: 'o-1',
        revision: 1,
        sale: {
          day: '2026-03-01',
          at: '2026-03-01T23:59:59.000Z',
          currency: 'EUR',
          amount: 2550,
          lines: [
            { sku: 'A', quantity: 2, unitPrice: 1000 },
            { sku: 'B', quantity: 1, unitPrice: 550 },
          ],
        },
      },
      changes: [
        {
          day: '2026-03-01',
          currency: 'EUR',
          totals: { ...NO_FIGURES, orders: 1, units: 3, revenue: 2550 },
          skus: [
            { sku: 'A', figures: { ...NO_FIGURES, orders: 1, units: 2, revenue: 2000 } },
            { sku: 'B', figures: { ...NO_FIGURES, orders: 1, units: 1, revenue: 550 } },
          ],
        },
      ],
    });
  });

  it('counts an order once, whatever event id its redelivery carries', () => {
    const { record } = countSale(undefined, confirmed) as { record: OrderSales };

    expect(countSale(record, { ...confirmed, id: 'another-delivery' })).toEqual({ ignored: 'duplicate' });
  });

  it('days are UTC days, whatever the offset the time was written with', () => {
    expect(utcDay('2026-03-01T23:30:00-02:00')).toBe('2026-03-02');
  });
});

describe('counting a refund of a paid order', () => {
  const sold = (countSale(undefined, confirmed) as { record: OrderSales }).record;

  it('adds one refund, the sold units and the refunded amount to the UTC day of the refund, per SKU at their sale prices', () => {
    const decision = countRefund(sold, 'o-1', refundOf(refunded));

    expect(decision).toMatchObject({
      record: { revision: 2, refund: { day: '2026-03-04', amount: 2550, reference: 're_1', counted: true } },
      changes: [
        {
          day: '2026-03-04',
          currency: 'EUR',
          totals: { ...NO_FIGURES, refunds: 1, refundedUnits: 3, refundedAmount: 2550 },
          skus: [
            { sku: 'A', figures: { ...NO_FIGURES, refunds: 1, refundedUnits: 2, refundedAmount: 2000 } },
            { sku: 'B', figures: { ...NO_FIGURES, refunds: 1, refundedUnits: 1, refundedAmount: 550 } },
          ],
        },
      ],
    });
  });

  it('counts a refund once', () => {
    const { record } = countRefund(sold, 'o-1', refundOf(refunded)) as { record: OrderSales };

    expect(countRefund(record, 'o-1', refundOf(refunded))).toEqual({ ignored: 'duplicate' });
  });

  it('keeps a refund of an order not (yet) paid uncounted, and counts it against the sale once that arrives', () => {
    const held = countRefund(undefined, 'o-1', refundOf(refunded));
    const heldRecord = (held as { record: OrderSales }).record;
    const afterSale = (countSale(heldRecord, confirmed) as { record: OrderSales }).record;

    expect(held).toMatchObject({ record: { orderId: 'o-1', revision: 1, refund: { counted: false } }, changes: [] });
    expect(countRefund(heldRecord, 'o-1', refundOf(refunded))).toEqual({ ignored: 'not-paid' });
    expect(afterSale).toMatchObject({ revision: 2, sale: { day: '2026-03-01' }, refund: { counted: false } });
    expect(countRefund(afterSale, 'o-1', afterSale.refund as NonNullable<OrderSales['refund']>)).toMatchObject({
      record: { revision: 3, refund: { counted: true, day: '2026-03-04' } },
      changes: [{ day: '2026-03-04', totals: { refunds: 1, refundedAmount: 2550 } }],
    });
  });
});
