import { anOrderPlaced } from '@storefront/testing';
import type { OrderRecord } from '../../src/domain/order-record';
import { OrderRecordNotFoundError, OrderRecordsService } from '../../src/domain/order-records-service';
import type { OrderRecordsRepository } from '../../src/domain/ports';

class InMemoryOrderRecords implements OrderRecordsRepository {
  readonly records = new Map<string, OrderRecord>();

  async saveOnce(record: OrderRecord) {
    if (this.records.has(record.orderId)) return false;
    this.records.set(record.orderId, record);
    return true;
  }

  async find(orderId: string) {
    return this.records.get(orderId);
  }
}

const orderPlaced = (orderId: string) =>
  anOrderPlaced({
    occurredAt: '2026-03-01T10:00:00.000Z',
    data: {
      orderId,
      customerId: 'c-1',
      lines: [
        { sku: 'A', quantity: 2 },
        { sku: 'B', quantity: 1 },
      ],
    },
  });

describe('the reporting service', () => {
  it('records a placed order with its units', async () => {
    const repository = new InMemoryOrderRecords();
    const service = new OrderRecordsService({ repository });

    await service.record(orderPlaced('o-1'));

    expect(await service.get('o-1')).toEqual({ orderId: 'o-1', customerId: 'c-1', units: 3, placedAt: '2026-03-01T10:00:00.000Z' });
  });

  it('records a redelivered order once', async () => {
    const service = new OrderRecordsService({ repository: new InMemoryOrderRecords() });
    const event = orderPlaced('o-1');

    const first = await service.record(event);
    const again = await service.record(event);

    expect([first, again]).toEqual([true, false]);
  });

  it('refuses to read an order it never heard of', async () => {
    const service = new OrderRecordsService({ repository: new InMemoryOrderRecords() });

    await expect(service.get('o-unknown')).rejects.toBeInstanceOf(OrderRecordNotFoundError);
  });
});
