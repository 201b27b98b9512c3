import {
  eventMetadata,
  newEvent,
  normalizeLines,
  type EventContext,
  type Money,
  type Order,
  type OrderCancelledV1,
  type OrderConfirmedV1,
  type OrderPayment,
  type OrderPlacedV1,
  type OrderRejectedV1,
  type OrderReservedV1,
  type OrderStatus,
  type OrderStatusReason,
  type PaymentCapturedV1,
  type PaymentFailedV1,
  type PlaceOrderRequest,
  type PricedLine,
  type StockRejectedV1,
  type StockReservedV2,
} from '@storefront/contracts';
import { OrderTransitionError } from './errors';

export type { Order, OrderStatus };

export const EVENT_SOURCE = 'storefront.orders';

/**
 * Which status may follow which. Anything not listed is refused. A RESERVED
 * order waits for its payment; orders rejects it itself only when that never
 * ends (the watchdog). A paid or failed payment is final: such an order cannot
 * be cancelled.
 */
const ALLOWED_TRANSITIONS: Record<OrderStatus, readonly OrderStatus[]> = {
  PENDING: ['RESERVED', 'REJECTED', 'CANCELLED'],
  RESERVED: ['CONFIRMED', 'PAYMENT_FAILED', 'CANCELLED', 'REJECTED'],
  CONFIRMED: [],
  PAYMENT_FAILED: [],
  REJECTED: [],
  CANCELLED: [],
};

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return ALLOWED_TRANSITIONS[from].includes(to);
}

/** What an order is placed from: the request, for the customer the caller is. */
export type NewOrder = PlaceOrderRequest & { customerId: string };

export function placeOrder(request: NewOrder, deps: EventContext): { order: Order; event: OrderPlacedV1 } {
  const now = deps.now();
  const at = now.toISOString();
  const order: Order = {
    orderId: deps.newId(),
    status: 'PENDING',
    customerId: request.customerId,
    currency: request.currency,
    paymentMethod: request.paymentMethod,
    // The API already normalized the request; normalizing again changes nothing and keeps other callers honest.
    lines: normalizeLines(request.lines),
    createdAt: at,
    updatedAt: at,
  };
  const event = newEvent(
    'OrderPlaced',
    { orderId: order.orderId, customerId: order.customerId, currency: order.currency, lines: order.lines },
    eventMetadata(EVENT_SOURCE, deps, deps.correlationId, now),
  );
  return { order, event };
}

export function cancelOrder(order: Order, deps: EventContext): { order: Order; event: OrderCancelledV1 } {
  if (!canTransition(order.status, 'CANCELLED')) throw new OrderTransitionError(order.orderId, order.status, 'CANCELLED');
  const now = deps.now();
  const cancelled: Order = { ...order, status: 'CANCELLED', updatedAt: now.toISOString() };
  const event = newEvent(
    'OrderCancelled',
    { orderId: order.orderId, customerId: order.customerId, previousStatus: order.status, lines: order.lines },
    eventMetadata(EVENT_SOURCE, deps, deps.correlationId, now),
  );
  return { order: cancelled, event };
}

/**
 * Orders itself gives up on the order (it waited too long, or cannot be
 * charged): REJECTED with the reason, and OrderRejected tells the other
 * services to let go of what they hold for it.
 */
export function rejectOrder(order: Order, reason: OrderStatusReason, deps: EventContext): { order: Order; event: OrderRejectedV1 } {
  if (!canTransition(order.status, 'REJECTED')) throw new OrderTransitionError(order.orderId, order.status, 'REJECTED');
  const now = deps.now();
  const rejected: Order = { ...order, status: 'REJECTED', statusReason: reason, updatedAt: now.toISOString() };
  const event = newEvent(
    'OrderRejected',
    { orderId: order.orderId, customerId: order.customerId, previousStatus: order.status, reason },
    eventMetadata(EVENT_SOURCE, deps, deps.correlationId, now),
  );
  return { order: rejected, event };
}

/**
 * What another service's answer does to an order: the order's next state
 * (with the event that announces it, if any), or why the answer changes
 * nothing: a duplicate (the order is already where the answer leads) or a
 * stale answer for an order that moved on (e.g. was cancelled first).
 */
export type AnswerDecision<Event> = { order: Order; event?: Event } | { ignored: 'duplicate' | 'stale' };

/** An answer applies only to an order still waiting in `from`; one that already reached `target` is a duplicate. */
function unanswerable(order: Order, from: OrderStatus, target: OrderStatus): { ignored: 'duplicate' | 'stale' } | undefined {
  if (order.status === target) return { ignored: 'duplicate' };
  if (order.status !== from) return { ignored: 'stale' };
  return undefined;
}

export type InventoryOutcome = StockReservedV2 | StockRejectedV1;

/** The price of lines as inventory held them: the sum of quantity × unit price, in minor units. */
export function totalOf(lines: readonly PricedLine[], currency: string): Money {
  return { amount: lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0), currency };
}

/**
 * What inventory's answer means for a PENDING order. StockRejected: REJECTED
 * with inventory's reasons. StockReserved: RESERVED with its total and
 * OrderReserved (payments charges it), unless a line is priced in another
 * currency than the order: then REJECTED with CURRENCY_MISMATCH, and
 * OrderRejected makes inventory release what it held.
 */
export function applyInventoryOutcome(
  order: Order,
  outcome: InventoryOutcome,
  deps: EventContext,
): AnswerDecision<OrderReservedV1 | OrderRejectedV1> {
  if (outcome.type === 'StockRejected') {
    const ignored = unanswerable(order, 'PENDING', 'REJECTED');
    if (ignored) return ignored;
    return { order: { ...order, status: 'REJECTED', rejectionReasons: outcome.data.reasons, updatedAt: deps.now().toISOString() } };
  }
  const lines = outcome.data.lines;
  if (lines.some((line) => line.currency !== order.currency)) {
    return unanswerable(order, 'PENDING', 'REJECTED') ?? rejectOrder(order, 'CURRENCY_MISMATCH', deps);
  }
  const ignored = unanswerable(order, 'PENDING', 'RESERVED');
  if (ignored) return ignored;
  const now = deps.now();
  const total = totalOf(lines, order.currency);
  const reserved: Order = { ...order, status: 'RESERVED', total, pricedLines: lines, updatedAt: now.toISOString() };
  const event = newEvent(
    'OrderReserved',
    { orderId: order.orderId, customerId: order.customerId, ...total, paymentMethod: order.paymentMethod, lines: order.lines },
    eventMetadata(EVENT_SOURCE, deps, deps.correlationId, now),
  );
  return { order: reserved, event };
}

export type PaymentOutcome = PaymentCapturedV1 | PaymentFailedV1;

/**
 * What the payment's outcome means for a RESERVED order: CONFIRMED (paid) or
 * PAYMENT_FAILED, with the payment as the customer sees it. A confirmed order
 * announces what it sold, at the prices it was reserved at (OrderConfirmed,
 * which reporting counts); a failed one publishes nothing (inventory and
 * payments hear PaymentFailed themselves). An order reserved before its prices
 * were kept has no lines to announce and is confirmed without the event.
 */
export function applyPaymentOutcome(order: Order, outcome: PaymentOutcome, deps: EventContext): AnswerDecision<OrderConfirmedV1> {
  const target: OrderStatus = outcome.type === 'PaymentCaptured' ? 'CONFIRMED' : 'PAYMENT_FAILED';
  const ignored = unanswerable(order, 'RESERVED', target);
  if (ignored) return ignored;
  const now = deps.now();
  const { providerReference } = outcome.data;
  if (outcome.type === 'PaymentFailed') {
    const payment: OrderPayment = {
      status: 'FAILED',
      reason: outcome.data.reason,
      ...(outcome.data.detail ? { detail: outcome.data.detail } : {}),
      ...(providerReference ? { providerReference } : {}),
    };
    return { order: { ...order, status: target, payment, updatedAt: now.toISOString() } };
  }
  const confirmed: Order = {
    ...order,
    status: target,
    payment: { status: 'CAPTURED', providerReference: outcome.data.providerReference },
    updatedAt: now.toISOString(),
  };
  if (!order.pricedLines?.length || !order.total) return { order: confirmed };
  const event = newEvent(
    'OrderConfirmed',
    {
      orderId: order.orderId,
      customerId: order.customerId,
      ...order.total,
      lines: order.pricedLines,
      providerReference: outcome.data.providerReference,
    },
    eventMetadata(EVENT_SOURCE, deps, deps.correlationId, now),
  );
  return { order: confirmed, event };
}
