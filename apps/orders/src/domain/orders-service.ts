import type { PlaceOrderRequest } from '@storefront/contracts';
import { ConcurrentOrderUpdateError, IdempotencyKeyReusedError, OrderNotFoundError } from './errors';
import { requestFingerprint } from './idempotency';
import { applyInventoryOutcome, cancelOrder, placeOrder, type Clock, type IdGenerator, type InventoryOutcome, type Order } from './order';
import type { OrdersRepository, OrderPage } from './ports';
import { resolveOverdue, waitingStatuses, waitTimeouts, type WaitingStatus, type WaitTimeouts } from './waiting-orders';

export interface OrdersServiceDeps extends Clock, IdGenerator {
  repository: OrdersRepository;
  /** How long orders may wait in each waiting status; the table's defaults when not given. */
  timeouts?: WaitTimeouts;
}

/** What the watchdog did with one overdue order: resolved it, or found it had moved on meanwhile. */
export interface OverdueOutcome {
  orderId: string;
  status: WaitingStatus;
  outcome: 'resolved' | 'moved-on';
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
   * The watchdog: every order that has waited in a waiting status for longer
   * than its timeout is resolved (e.g. PENDING → REJECTED, RESERVATION_TIMEOUT)
   * with its event, in one conditional write. An order that moved on between
   * the read and the write (inventory answered, the customer cancelled) is
   * left as it is. At most `limit` orders per status per run; the next run
   * takes the rest.
   */
  async resolveOverdueOrders(options: { correlationId: string; limit?: number }): Promise<OverdueOutcome[]> {
    const timeouts = this.deps.timeouts ?? waitTimeouts();
    const outcomes: OverdueOutcome[] = [];
    for (const status of waitingStatuses()) {
      const before = new Date(this.deps.now().getTime() - timeouts[status]).toISOString();
      for (const overdue of await this.deps.repository.waitingSince(status, before, options.limit ?? 100)) {
        const { order, event } = resolveOverdue(overdue, this.eventDeps(options.correlationId));
        try {
          await this.deps.repository.transition(order, status, event);
          outcomes.push({ orderId: order.orderId, status, outcome: 'resolved' });
        } catch (error) {
          if (!(error instanceof ConcurrentOrderUpdateError)) throw error;
          outcomes.push({ orderId: order.orderId, status, outcome: 'moved-on' });
        }
      }
    }
    return outcomes;
  }

  private eventDeps(correlationId: string) {
    return { now: () => this.deps.now(), newId: () => this.deps.newId(), correlationId };
  }
}
