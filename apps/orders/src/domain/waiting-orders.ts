import type { EventContext, OrderRejectedV1, OrderStatus, OrderStatusReason } from '@storefront/contracts';
import { OrderTransitionError } from './errors';
import { rejectOrder, type Order } from './order';

/** What becomes of an order that waited too long: the status it ends in, and why. */
export interface Resolution {
  status: 'REJECTED';
  reason: OrderStatusReason;
}

export interface WaitRule {
  /** How long an order may wait in the status unless the deployment says otherwise. */
  defaultTimeoutSeconds: number;
  resolution: Resolution;
  /** The metric that counts the orders resolved this way; an alarm watches it. */
  metric: string;
}

/**
 * Every status in which an order waits for another service, how long it may
 * wait there, and what the watchdog makes of it when it waited longer: no
 * order stays in one of these for ever. A new waiting status is one more
 * entry; storage indexes, the watchdog and its configuration
 * (`<STATUS>_TIMEOUT_SECONDS`) follow from this table.
 */
export const WAITING_STATUSES = {
  // Inventory answers within seconds; 15 minutes means its OrderPlaced is stuck (e.g. in a dead-letter queue).
  PENDING: {
    defaultTimeoutSeconds: 15 * 60,
    resolution: { status: 'REJECTED', reason: 'RESERVATION_TIMEOUT' },
    metric: 'StalePendingOrders',
  },
  // Payments ends every checkout well within this (its workflow has an overall timeout and answers PaymentFailed);
  // an hour means payments never heard of the order (its OrderReserved is stuck). The OrderRejected releases the
  // stock, and payments treats it as a cancel: it stops a charge not yet made, or refunds one that was.
  RESERVED: {
    defaultTimeoutSeconds: 60 * 60,
    resolution: { status: 'REJECTED', reason: 'PAYMENT_TIMEOUT' },
    metric: 'StaleReservedOrders',
  },
} as const satisfies Partial<Record<OrderStatus, WaitRule>>;

export type WaitingStatus = keyof typeof WAITING_STATUSES;

/** How long an order may wait in each waiting status, in milliseconds. */
export type WaitTimeouts = Record<WaitingStatus, number>;

export const waitingStatuses = () => Object.keys(WAITING_STATUSES) as WaitingStatus[];

export function isWaiting(status: OrderStatus): status is WaitingStatus {
  return Object.hasOwn(WAITING_STATUSES, status);
}

/** Each waiting status's timeout: the table's default unless `seconds` names another. */
export function waitTimeouts(seconds: Partial<Record<WaitingStatus, number>> = {}): WaitTimeouts {
  return Object.fromEntries(
    waitingStatuses().map((status) => [status, (seconds[status] ?? WAITING_STATUSES[status].defaultTimeoutSeconds) * 1000]),
  ) as WaitTimeouts;
}

/**
 * Gives up on an order that waited too long: it takes its status's
 * resolution, and the OrderRejected event tells the other services to let go
 * of anything they hold for it.
 */
export function resolveOverdue(order: Order, deps: EventContext): { order: Order; event: OrderRejectedV1 } {
  if (!isWaiting(order.status)) throw new OrderTransitionError(order.orderId, order.status, 'REJECTED');
  return rejectOrder(order, WAITING_STATUSES[order.status].resolution.reason, deps);
}
