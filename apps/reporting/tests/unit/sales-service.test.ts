import { aPaymentRefunded, anOrderConfirmed } from '@storefront/testing';
import { ConcurrentSalesUpdateError } from '../../src/domain/errors';
import type { SalesRepository } from '../../src/domain/ports';
import type { DayChange, OrderSales } from '../../src/domain/sales';
import { SalesService } from '../../src/domain/sales-service';

/** Orders' records in memory, saved under the same condition as the DynamoDB adapter: the revision they follow. */
class InMemorySalesRepository implements SalesRepository {
  readonly records = new Map<string, OrderSales>();
  readonly changes: DayChange[] = [];
  reads = 0;

  async findOrder(orderId: string): Promise<OrderSales | undefined> {
    this.reads += 1;
    return this.records.get(orderId);
  }

  async saveOrder(record: OrderSales, changes: DayChange[]): Promise<void> {
    if ((this.records.get(record.orderId)?.revision ?? 0) !== record.revision - 1) throw new ConcurrentSalesUpdateError(record.orderId);
    this.records.set(record.orderId, record);
    this.changes.push(...changes);
  }
}

const lines = [{ sku: 'A', quantity: 2, unitPrice: 1000, currency: 'EUR' }];
const confirmed = anOrderConfirmed({ occurredAt: '2026-03-01T10:00:00.000Z', data: { orderId: 'o-1', amount: 2000, lines } });
const refunded = aPaymentRefunded({
  occurredAt: '2026-03-02T10:00:00.000Z',
  data: { orderId: 'o-1', amount: 2000, refundReference: 're_1' },
});

function salesService() {
  const repository = new InMemorySalesRepository();
  return { repository, sales: new SalesService({ repository, now: () => new Date('2026-03-02T12:00:00.000Z') }) };
}

describe('counting paid orders', () => {
  it("counts an order's first delivery with one write and no read", async () => {
    const { repository, sales } = salesService();

    const outcome = await sales.countConfirmedOrder(confirmed);

    expect(outcome).toBe('counted');
    expect(repository.reads).toBe(0);
    expect(repository.changes).toEqual([expect.objectContaining({ day: '2026-03-01', totals: expect.objectContaining({ orders: 1 }) })]);
  });

  it('reads the order and counts nothing when the order was counted already', async () => {
    const { repository, sales } = salesService();
    await sales.countConfirmedOrder(confirmed);

    const outcome = await sales.countConfirmedOrder({ ...confirmed, id: 'redelivered' });

    expect(outcome).toBe('duplicate');
    expect(repository.reads).toBe(1);
    expect(repository.changes).toHaveLength(1);
  });

  it('counts the sale and then the refund that arrived before it', async () => {
    const { repository, sales } = salesService();
    await sales.countRefund(refunded);

    const outcome = await sales.countConfirmedOrder(confirmed);

    expect(outcome).toBe('counted');
    expect(repository.records.get('o-1')).toMatchObject({ revision: 3, sale: { day: '2026-03-01' }, refund: { counted: true } });
    expect(repository.changes.map((c) => [c.day, c.totals.orders, c.totals.refunds])).toEqual([
      ['2026-03-01', 1, 0],
      ['2026-03-02', 0, 1],
    ]);
  });
});
