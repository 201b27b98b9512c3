import type { OrderEvent } from '@storefront/contracts';
import type { Order, OrderStatus } from './order';
import type { WaitingStatus } from './waiting-orders';

export interface IdempotencyClaim {
  key: string;
  fingerprint: string;
}

export interface OrderPage {
  items: Order[];
  nextCursor?: string;
}

/** What the orders use cases need from storage; the DynamoDB adapter implements it. */
export interface OrdersRepository {
  /**
   * Saves a new order with its event in one atomic write. With a claim, the
   * claim is stored too; if the key was used before, nothing is written and
   * the earlier claim's order is returned instead.
   */
  create(
    order: Order,
    event: OrderEvent,
    claim?: IdempotencyClaim,
  ): Promise<{ created: true } | { created: false; fingerprint: string; order: Order }>;
  /**
   * The stored order. `consistent` asks for a strongly consistent read, which sees every write acknowledged before
   * it: a re-read after losing a race needs it, or it may read the status it just lost to again.
   */
  get(orderId: string, options?: { consistent?: boolean }): Promise<Order | undefined>;
  listByCustomer(customerId: string, page: { limit: number; cursor?: string }): Promise<OrderPage>;
  /** Orders that entered the waiting `status` before `before` (ISO time) and are still in it, oldest first, at most `limit`. */
  waitingSince(status: WaitingStatus, before: string, limit: number): Promise<Order[]>;
  /** Saves a status change (and its event, if any) atomically, only if the stored status is still `expected`. */
  transition(order: Order, expected: OrderStatus, event?: OrderEvent): Promise<void>;
}
