import {
  newEvent,
  normalizeLines,
  type Order,
  type OrderCancelledV1,
  type OrderPlacedV1,
  type OrderStatus,
  type PlaceOrderRequest,
  type StockRejectedV1,
  type StockReservedV1,
} from '@storefront/contracts';
import { OrderTransitionError } from './errors';

export type { Order, OrderStatus };

export const EVENT_SOURCE = 'storefront.orders';

/** Which status may follow which. Anything not listed is refused. */
const ALLOWED_TRANSITIONS: Record<OrderStatus, readonly OrderStatus[]> = {
  PENDING: ['RESERVED', 'REJECTED', 'CANCELLED'],
  RESERVED: ['CANCELLED'],
  REJECTED: [],
  CANCELLED: [],
};

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return ALLOWED_TRANSITIONS[from].includes(to);
}

/** What the outside world supplies: time, ids and the request's correlation id. */
export interface Clock {
  now(): Date;
}
export interface IdGenerator {
  newId(): string;
}
export interface EventContext {
  correlationId: string;
}

/** Who publishes an orders event and the id it carries on, for an event that happens `at`. */
export function eventMetadata(at: Date, deps: IdGenerator & EventContext) {
  return { id: deps.newId(), at, source: EVENT_SOURCE, correlationId: deps.correlationId };
}

export function placeOrder(request: PlaceOrderRequest, deps: Clock & IdGenerator & EventContext): { order: Order; event: OrderPlacedV1 } {
  const now = deps.now();
  const at = now.toISOString();
  const order: Order = {
    orderId: deps.newId(),
    status: 'PENDING',
    customerId: request.customerId,
    currency: request.currency,
    // The API already normalized the request; normalizing again changes nothing and keeps other callers honest.
    lines: normalizeLines(request.lines),
    createdAt: at,
    updatedAt: at,
  };
  const event = newEvent(
    'OrderPlaced',
    { orderId: order.orderId, customerId: order.customerId, currency: order.currency, lines: order.lines },
    eventMetadata(now, deps),
  );
  return { order, event };
}

export function cancelOrder(order: Order, deps: Clock & IdGenerator & EventContext): { order: Order; event: OrderCancelledV1 } {
  if (!canTransition(order.status, 'CANCELLED')) throw new OrderTransitionError(order.orderId, order.status, 'CANCELLED');
  const now = deps.now();
  const cancelled: Order = { ...order, status: 'CANCELLED', updatedAt: now.toISOString() };
  const event = newEvent(
    'OrderCancelled',
    { orderId: order.orderId, customerId: order.customerId, previousStatus: order.status, lines: order.lines },
    eventMetadata(now, deps),
  );
  return { order: cancelled, event };
}

export type InventoryOutcome = StockReservedV1 | StockRejectedV1;

/**
 * What inventory's answer means for the order: the next state, or why the
 * answer changes nothing (a duplicate, or a stale answer for an order that
 * moved on, e.g. was cancelled first).
 */
export function applyInventoryOutcome(
  order: Order,
  outcome: InventoryOutcome,
  at: Date,
): { order: Order } | { ignored: 'duplicate' | 'stale' } {
  const target: OrderStatus = outcome.type === 'StockReserved' ? 'RESERVED' : 'REJECTED';
  if (order.status === target) return { ignored: 'duplicate' };
  if (!canTransition(order.status, target)) return { ignored: 'stale' };
  const next: Order = { ...order, status: target, updatedAt: at.toISOString() };
  if (outcome.type === 'StockRejected') next.rejectionReasons = outcome.data.reasons;
  return { order: next };
}
