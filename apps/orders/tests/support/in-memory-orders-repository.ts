import type { OrderEvent } from '@storefront/contracts';
import { ConcurrentOrderUpdateError } from '../../src/domain/errors';
import type { Order, OrderStatus } from '../../src/domain/order';
import type { IdempotencyClaim, OrdersRepository } from '../../src/domain/ports';
import type { WaitingStatus } from '../../src/domain/waiting-orders';

/** A repository with the same promises as the DynamoDB one, for use-case tests. */
export class InMemoryOrdersRepository implements OrdersRepository {
  readonly orders = new Map<string, Order>();
  readonly events: OrderEvent[] = [];
  private readonly claims = new Map<string, { fingerprint: string; order: Order }>();

  async create(order: Order, event: OrderEvent, claim?: IdempotencyClaim) {
    const existing = claim && this.claims.get(claim.key);
    if (existing) return { created: false as const, ...existing };
    this.orders.set(order.orderId, order);
    this.events.push(event);
    if (claim) this.claims.set(claim.key, { fingerprint: claim.fingerprint, order });
    return { created: true as const };
  }

  async get(orderId: string) {
    return this.orders.get(orderId);
  }

  async listByCustomer(customerId: string, page: { limit: number; cursor?: string }) {
    const all = [...this.orders.values()].filter((o) => o.customerId === customerId).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    const start = page.cursor ? Number(page.cursor) : 0;
    const items = all.slice(start, start + page.limit);
    const next = start + page.limit < all.length ? String(start + page.limit) : undefined;
    return { items, ...(next ? { nextCursor: next } : {}) };
  }

  async waitingSince(status: WaitingStatus, before: string, limit: number) {
    return [...this.orders.values()]
      .filter((o) => o.status === status && o.updatedAt < before)
      .sort((a, b) => a.updatedAt.localeCompare(b.updatedAt))
      .slice(0, limit);
  }

  async transition(order: Order, expected: OrderStatus, event?: OrderEvent) {
    if (this.orders.get(order.orderId)?.status !== expected) throw new ConcurrentOrderUpdateError(order.orderId);
    this.orders.set(order.orderId, order);
    if (event) this.events.push(event);
  }
}
