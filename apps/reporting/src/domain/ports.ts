import type { OrderRecord } from './order-record';

export interface OrderRecordsRepository {
  /** Stores a record unless one exists for its order; answers whether it was new. */
  saveOnce(record: OrderRecord): Promise<boolean>;
  find(orderId: string): Promise<OrderRecord | undefined>;
}
