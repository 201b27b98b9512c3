import type {
  Order,
  OrderCancelledV1,
  OrderPlacedV1,
  OrderStatus,
  PlaceOrderRequest,
  StockRejectedV1,
  StockReservedV1,
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

export function placeOrder(request: PlaceOrderRequest, deps: Clock & IdGenerator & EventContext): { order: Order; event: OrderPlacedV1 } {
  const at = deps.now().toISOString();
  const order: Order = {
    orderId: deps.newId(),
    status: 'PENDING',
    customerId: request.customerId,
    currency: request.currency,
    lines: mergeLines(request.lines),
    createdAt: at,
    updatedAt: at,
  };
  const event: OrderPlacedV1 = {
    id: deps.newId(),
    type: 'OrderPlaced',
    version: 1,
    occurredAt: at,
    source: EVENT_SOURCE,
    correlationId: deps.correlationId,
    data: { orderId: order.orderId, customerId: order.customerId, currency: order.currency, lines: order.lines },
  };
  return { order, event };
}

export function cancelOrder(order: Order, deps: Clock & IdGenerator & EventContext): { order: Order; event: OrderCancelledV1 } {
  if (!canTransition(order.status, 'CANCELLED')) throw new OrderTransitionError(order.orderId, order.status, 'CANCELLED');
  const at = deps.now().toISOString();
  const cancelled: Order = { ...order, status: 'CANCELLED', updatedAt: at };
  const event: OrderCancelledV1 = {
    id: deps.newId(),
    type: 'OrderCancelled',
    version: 1,
    occurredAt: at,
    source: EVENT_SOURCE,
    correlationId: deps.correlationId,
    data: { orderId: order.orderId, customerId: order.customerId, previousStatus: order.status, lines: order.lines },
  };
  return { order: cancelled, event };
}

/** Two lines for the same SKU become one, so stock is reserved per SKU once. */
function mergeLines(lines: PlaceOrderRequest['lines']): PlaceOrderRequest['lines'] {
  const quantities = new Map<string, number>();
  for (const { sku, quantity } of lines) quantities.set(sku, (quantities.get(sku) ?? 0) + quantity);
  return [...quantities].map(([sku, quantity]) => ({ sku, quantity }));
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
