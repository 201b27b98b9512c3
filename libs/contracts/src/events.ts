import {
  array,
  discriminatedUnion,
  enum as oneOf,
  int,
  iso,
  literal,
  minLength,
  object,
  optional,
  string,
  type infer as Infer,
  type ZodMiniType,
} from 'zod/mini';
import { CurrencyCode, CustomerId, OrderLine, OrderLines, OrderStatus, OrderStatusReason } from './orders-api';
import './zod';

/**
 * Every event on a topic travels in the same envelope. `type` and `version`
 * together name the schema of `data`; consumers filter on `type` (it is also
 * sent as the SNS message attribute `eventType`).
 */
const envelope = <Type extends string, Data extends ZodMiniType>(type: Type, version: number, data: Data) =>
  object({
    id: string().check(minLength(1)),
    type: literal(type),
    version: literal(version),
    occurredAt: iso.datetime(),
    source: string().check(minLength(1)),
    correlationId: string().check(minLength(1)),
    data,
  });

export const OrderPlacedV1 = envelope(
  'OrderPlaced',
  1,
  object({
    orderId: string(),
    customerId: CustomerId,
    currency: CurrencyCode,
    lines: OrderLines,
  }),
);
export type OrderPlacedV1 = Infer<typeof OrderPlacedV1>;

export const OrderCancelledV1 = envelope(
  'OrderCancelled',
  1,
  object({
    orderId: string(),
    customerId: CustomerId,
    previousStatus: string(),
    lines: OrderLines,
  }),
);
export type OrderCancelledV1 = Infer<typeof OrderCancelledV1>;

/**
 * The orders service gave up on an order that waited too long for another
 * service (e.g. inventory never answered its OrderPlaced). Whatever is held
 * for it must be released, and a late reservation for it refused, exactly as
 * for a cancel.
 */
export const OrderRejectedV1 = envelope(
  'OrderRejected',
  1,
  object({
    orderId: string(),
    customerId: CustomerId,
    previousStatus: OrderStatus,
    reason: OrderStatusReason,
  }),
);
export type OrderRejectedV1 = Infer<typeof OrderRejectedV1>;

/** Everything the orders service publishes on the orders topic. */
export const OrderEvent = discriminatedUnion('type', [OrderPlacedV1, OrderCancelledV1, OrderRejectedV1]);
export type OrderEvent = Infer<typeof OrderEvent>;
export type OrderEventType = OrderEvent['type'];

/** Inventory answered an OrderPlaced by holding every line. */
export const StockReservedV1 = envelope('StockReserved', 1, object({ orderId: string(), lines: array(OrderLine).check(minLength(1)) }));
export type StockReservedV1 = Infer<typeof StockReservedV1>;

export const StockRejectionReason = object({
  sku: string(),
  reason: oneOf(['UNKNOWN_SKU', 'INSUFFICIENT_STOCK']),
  requested: int(),
  available: optional(int()),
});
export type StockRejectionReason = Infer<typeof StockRejectionReason>;

/** Inventory could not hold every line of an OrderPlaced, so it held none; one reason per line that failed. */
export const StockRejectedV1 = envelope(
  'StockRejected',
  1,
  object({ orderId: string(), reasons: array(StockRejectionReason).check(minLength(1)) }),
);
export type StockRejectedV1 = Infer<typeof StockRejectedV1>;

/** What an OrderCancelled gave back to stock. */
export const StockReleasedV1 = envelope('StockReleased', 1, object({ orderId: string(), lines: array(OrderLine) }));
export type StockReleasedV1 = Infer<typeof StockReleasedV1>;

/** Everything the inventory service publishes on the inventory topic. */
export const InventoryEvent = discriminatedUnion('type', [StockReservedV1, StockRejectedV1, StockReleasedV1]);
export type InventoryEvent = Infer<typeof InventoryEvent>;

/** Every event a service publishes, on any topic. */
export type DomainEvent = OrderEvent | InventoryEvent;
export type DomainEventType = DomainEvent['type'];
export type EventOf<Type extends DomainEventType> = Extract<DomainEvent, { type: Type }>;

/** The version of each event's schema that producers write today; a new version of an event changes its entry. */
const CURRENT_VERSION = {
  OrderPlaced: 1,
  OrderCancelled: 1,
  OrderRejected: 1,
  StockReserved: 1,
  StockRejected: 1,
  StockReleased: 1,
} as const satisfies { [Type in DomainEventType]: EventOf<Type>['version'] };

/** What the producer supplies for the envelope: the event's own id and time, who publishes it, and the id it carries on. */
export interface EventMetadata {
  id: string;
  at: Date;
  /** The publishing service, e.g. storefront.orders. */
  source: string;
  correlationId: string;
}

/**
 * An event in its envelope, typed by its `type`: the one way a producer builds
 * an event, so every event carries the same fields and its schema's version.
 */
export function newEvent<Type extends DomainEventType>(type: Type, data: EventOf<Type>['data'], metadata: EventMetadata): EventOf<Type> {
  const { id, at, source, correlationId } = metadata;
  // TypeScript cannot tie `type` and `data` together through the union; the signature does.
  return { id, type, version: CURRENT_VERSION[type], occurredAt: at.toISOString(), source, correlationId, data } as EventOf<Type>;
}

/** The name of the SNS message attribute that carries the event type. */
export const EVENT_TYPE_ATTRIBUTE = 'eventType';
