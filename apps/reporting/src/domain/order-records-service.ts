import type { OrderPlacedV1 } from '@storefront/contracts';
import { NotFoundError } from '@storefront/errors';
import { orderRecordFor, type OrderRecord } from './order-record';
import type { OrderRecordsRepository } from './ports';

export class OrderRecordNotFoundError extends NotFoundError {
  constructor(readonly orderId: string) {
    super(`No order ${orderId} has been recorded`);
  }
}

/** The service's use cases, behind the repository port: record a placed order once, read a record. */
export class OrderRecordsService {
  constructor(private readonly deps: { repository: OrderRecordsRepository }) {}

  /** True when the order was new; a redelivered event changes nothing. */
  record(event: OrderPlacedV1): Promise<boolean> {
    return this.deps.repository.saveOnce(orderRecordFor(event));
  }

  async get(orderId: string): Promise<OrderRecord> {
    const record = await this.deps.repository.find(orderId);
    if (!record) throw new OrderRecordNotFoundError(orderId);
    return record;
  }
}
