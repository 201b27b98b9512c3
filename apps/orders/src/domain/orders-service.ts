import type { Caller, Clock, IdGenerator, OrderEvent, OrderStatus, PlaceOrderRequest } from '@storefront/contracts';
import { assertMayListOrdersOf, orderingCustomer, visibleOrder } from './access';
import { ConcurrentOrderUpdateError, IdempotencyKeyReusedError, OrderNotFoundError } from './errors';
import { requestFingerprint } from './idempotency';
import {
  applyInventoryOutcome,
  applyPaymentOutcome,
  cancelOrder,
  placeOrder,
  type AnswerDecision,
  type InventoryOutcome,
  type Order,
  type PaymentOutcome,
} from './order';
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

/** What an answer from another service did: moved the order on, or nothing (see AnswerDecision). */
export type AnswerOutcome = 'applied' | 'duplicate' | 'stale';

/** An answer's outcome, and the status it moved the order to (not every move writes an event). */
export interface AnswerResult {
  outcome: AnswerOutcome;
  movedTo?: OrderStatus;
}

/** The business count of an order an answer moved on, by the status it reached: the saga's progress per minute. */
export const MOVED_TO_METRIC: Partial<Record<OrderStatus, string>> = {
  RESERVED: 'OrderReserved',
  CONFIRMED: 'OrderConfirmed',
  PAYMENT_FAILED: 'OrderPaymentFailed',
  REJECTED: 'OrderRejected',
};

/** A decision on an order as read: a change to write (with its event, if any) and what to answer once written, or only an answer. */
type Decision<T> = { order: Order; event?: OrderEvent | undefined; result: T } | { result: T };

/** Reads of one order a change may take: one per status it can still race out of (PENDING, RESERVED), and the last. */
const MAX_DECISIONS = 3;

/** The orders use cases: each one reads, decides in pure domain code, and writes atomically. */
export class OrdersService {
  constructor(private readonly deps: OrdersServiceDeps) {}

  /** Places an order for the caller (see orderingCustomer). */
  async place(
    caller: Caller,
    placed: PlaceOrderRequest,
    options: { correlationId: string; idempotencyKey?: string },
  ): Promise<{ order: Order; replayed: boolean }> {
    const request = { ...placed, customerId: orderingCustomer(caller, placed.customerId) };
    const { order, event } = placeOrder(request, this.eventDeps(options.correlationId));
    const claim = options.idempotencyKey ? { key: options.idempotencyKey, fingerprint: requestFingerprint(request) } : undefined;
    const outcome = await this.deps.repository.create(order, event, claim);
    if (outcome.created) return { order, replayed: false };
    if (claim && outcome.fingerprint !== claim.fingerprint) throw new IdempotencyKeyReusedError(claim.key);
    return { order: outcome.order, replayed: true };
  }

  /** An order as its customer (or an admin) sees it; to anyone else it does not exist. */
  async read(caller: Caller, orderId: string, options?: { consistent?: boolean }): Promise<Order> {
    return visibleOrder(caller, await this.deps.repository.get(orderId, options), orderId);
  }

  async get(orderId: string, options?: { consistent?: boolean }): Promise<Order> {
    const order = await this.deps.repository.get(orderId, options);
    if (!order) throw new OrderNotFoundError(orderId);
    return order;
  }

  listByCustomer(caller: Caller, customerId: string, page: { limit: number; cursor?: string }): Promise<OrderPage> {
    assertMayListOrdersOf(caller, customerId);
    return this.deps.repository.listByCustomer(customerId, page);
  }

  /**
   * Cancels the caller's order. A cancel that loses a race with a saga step the customer did not take (inventory
   * reserved the order meanwhile) is decided again on the order as it is now: it still succeeds from RESERVED, and is
   * refused (OrderTransitionError, naming the status) only once the order reached a status that forbids it.
   */
  cancel(caller: Caller, orderId: string, options: { correlationId: string }): Promise<Order> {
    const deps = this.eventDeps(options.correlationId);
    return this.decideOnLatest(
      (consistent) => this.read(caller, orderId, { consistent }),
      (current) => {
        const { order, event } = cancelOrder(current, deps);
        return { order, event, result: order };
      },
    );
  }

  /**
   * Moves a PENDING order to RESERVED (with OrderReserved) or REJECTED (with
   * OrderRejected when orders itself refuses the prices); duplicates and stale
   * answers change nothing.
   */
  applyInventoryOutcome(outcome: InventoryOutcome): Promise<AnswerResult> {
    const deps = this.eventDeps(outcome.correlationId);
    return this.applyAnswer(outcome.data.orderId, (current) => applyInventoryOutcome(current, outcome, deps));
  }

  /**
   * Moves a RESERVED order to CONFIRMED (with OrderConfirmed) or PAYMENT_FAILED; duplicates and answers for an
   * order that moved on change nothing.
   */
  applyPaymentOutcome(outcome: PaymentOutcome): Promise<AnswerResult> {
    const deps = this.eventDeps(outcome.correlationId);
    return this.applyAnswer(outcome.data.orderId, (current) => applyPaymentOutcome(current, outcome, deps));
  }

  /** Applies another service's answer to the order as it is stored now (a cancel may have changed it meanwhile). */
  private applyAnswer(orderId: string, decide: (current: Order) => AnswerDecision<OrderEvent>): Promise<AnswerResult> {
    return this.decideOnLatest(
      (consistent) => this.get(orderId, { consistent }),
      (current): Decision<AnswerResult> => {
        const decision = decide(current);
        if ('ignored' in decision) return { result: { outcome: decision.ignored } };
        return { ...decision, result: { outcome: 'applied', movedTo: decision.order.status } };
      },
    );
  }

  /**
   * Reads the order, decides on it, and writes the decision only if the order's status is still the one read. When
   * another write changed it first, reads it again and decides anew: the decision may still hold (a cancel from
   * RESERVED instead of PENDING), change (an answer that became stale) or be refused by the domain (a cancel of a
   * CONFIRMED order). Statuses only move forward, PENDING → RESERVED → a final one, so a third read finds the order
   * where no write can race it any more; the attempts are bounded all the same.
   */
  private async decideOnLatest<T>(read: (consistent: boolean) => Promise<Order>, decide: (current: Order) => Decision<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      // A re-read must see the write that won the race, which an eventually consistent read may not yet.
      const current = await read(attempt > 1);
      const decision = decide(current);
      if (!('order' in decision)) return decision.result;
      try {
        await this.deps.repository.transition(decision.order, current.status, decision.event);
        return decision.result;
      } catch (error) {
        if (!(error instanceof ConcurrentOrderUpdateError) || attempt >= MAX_DECISIONS) throw error;
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
