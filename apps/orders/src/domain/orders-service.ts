import type { PlaceOrderRequest } from '@storefront/contracts';
import { ConcurrentOrderUpdateError, IdempotencyKeyReusedError, OrderNotFoundError } from './errors';
import { requestFingerprint } from './idempotency';
import { applyInventoryOutcome, cancelOrder, placeOrder, type Clock, type IdGenerator, type InventoryOutcome, type Order } from './order';
import type { OrdersRepository, OrderPage } from './ports';

/** Inventory answers within seconds; an order PENDING for 15 minutes needs a human. */
export const PENDING_TOO_LONG_MS = 15 * 60 * 1000;

export interface OrdersServiceDeps extends Clock, IdGenerator {
  repository: OrdersRepository;
}

/** The orders use cases: each one reads, decides in pure domain code, and writes atomically. */
export class OrdersService {
  constructor(private readonly deps: OrdersServiceDeps) {}

  async place(
    request: PlaceOrderRequest,
    options: { correlationId: string; idempotencyKey?: string },
  ): Promise<{ order: Order; replayed: boolean }> {
    const { order, event } = placeOrder(request, this.eventDeps(options.correlationId));
    const claim = options.idempotencyKey ? { key: options.idempotencyKey, fingerprint: requestFingerprint(request) } : undefined;
    const outcome = await this.deps.repository.create(order, event, claim);
    if (outcome.created) return { order, replayed: false };
    if (claim && outcome.fingerprint !== claim.fingerprint) throw new IdempotencyKeyReusedError(claim.key);
    return { order: outcome.order, replayed: true };
  }

  async get(orderId: string): Promise<Order> {
    const order = await this.deps.repository.get(orderId);
    if (!order) throw new OrderNotFoundError(orderId);
    return order;
  }

  listByCustomer(customerId: string, page: { limit: number; cursor?: string }): Promise<OrderPage> {
    return this.deps.repository.listByCustomer(customerId, page);
  }

  async cancel(orderId: string, options: { correlationId: string }): Promise<Order> {
    const current = await this.get(orderId);
    const { order, event } = cancelOrder(current, this.eventDeps(options.correlationId));
    await this.deps.repository.transition(order, current.status, event);
    return order;
  }

  /** Moves a PENDING order to RESERVED or REJECTED; duplicates and stale answers change nothing. */
  async applyInventoryOutcome(outcome: InventoryOutcome): Promise<'applied' | 'duplicate' | 'stale'> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.get(outcome.data.orderId);
      const decision = applyInventoryOutcome(current, outcome, this.deps.now());
      if ('ignored' in decision) return decision.ignored;
      try {
        await this.deps.repository.transition(decision.order, current.status);
        return 'applied';
      } catch (error) {
        // Someone changed the order meanwhile (a cancel): decide again on what is stored now.
        if (!(error instanceof ConcurrentOrderUpdateError) || attempt >= 3) throw error;
      }
    }
  }

  /**
   * Orders inventory has not answered for longer than it ever should: a sign
   * that their OrderPlaced is stuck (e.g. in a dead-letter queue).
   */
  stalePendingOrders(limit = 100): Promise<Order[]> {
    const before = new Date(this.deps.now().getTime() - PENDING_TOO_LONG_MS).toISOString();
    return this.deps.repository.pendingSince(before, limit);
  }

  private eventDeps(correlationId: string) {
    return { now: () => this.deps.now(), newId: () => this.deps.newId(), correlationId };
  }
}
