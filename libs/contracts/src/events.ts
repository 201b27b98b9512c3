import {
  array,
  discriminatedUnion,
  enum as oneOf,
  int,
  iso,
  literal,
  minimum,
  minLength,
  object,
  optional,
  string,
  type infer as Infer,
  type ZodMiniType,
} from 'zod/mini';
import {
  CurrencyCode,
  CustomerId,
  OrderLine,
  OrderLines,
  OrderStatus,
  OrderStatusReason,
  PaymentFailureReason,
  PaymentMethod,
  PricedLine,
} from './orders-api';
import { CurrencySales, ReportDate } from './reporting-api';
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

/**
 * Stock is held for every line at the prices inventory reported, and the
 * order's total is known: payments charges `amount` (minor units) in
 * `currency` with the customer's payment method.
 */
export const OrderReservedV1 = envelope(
  'OrderReserved',
  1,
  object({
    orderId: string(),
    customerId: CustomerId,
    amount: int().check(minimum(0)),
    currency: CurrencyCode,
    paymentMethod: PaymentMethod,
    lines: OrderLines,
  }),
);
export type OrderReservedV1 = Infer<typeof OrderReservedV1>;

/**
 * The order is paid (its payment was captured) and CONFIRMED: what it sold, line by line at the prices
 * inventory held them at, and its `amount` (minor units of `currency`), the sum of those lines. Reporting
 * counts it in the sales of the UTC day of `occurredAt`.
 */
export const OrderConfirmedV1 = envelope(
  'OrderConfirmed',
  1,
  object({
    orderId: string(),
    customerId: CustomerId,
    amount: int().check(minimum(0)),
    currency: CurrencyCode,
    lines: array(PricedLine).check(minLength(1)),
    /** The provider's id for the charge (a PaymentIntent id). */
    providerReference: string().check(minLength(1)),
  }),
);
export type OrderConfirmedV1 = Infer<typeof OrderConfirmedV1>;

/** Everything the orders service publishes on the orders topic. */
export const OrderEvent = discriminatedUnion('type', [OrderPlacedV1, OrderReservedV1, OrderConfirmedV1, OrderCancelledV1, OrderRejectedV1]);
export type OrderEvent = Infer<typeof OrderEvent>;
export type OrderEventType = OrderEvent['type'];

/**
 * Inventory answered an OrderPlaced by holding every line. Version 2 carries
 * each line's unit price and currency, from which orders computes the total
 * (version 1 had no prices and is no longer produced).
 */
export const StockReservedV2 = envelope('StockReserved', 2, object({ orderId: string(), lines: array(PricedLine).check(minLength(1)) }));
export type StockReservedV2 = Infer<typeof StockReservedV2>;

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

/** What an OrderCancelled, OrderRejected, PaymentFailed or PaymentRefunded gave back to stock (held or, after a refund, sold units). */
export const StockReleasedV1 = envelope('StockReleased', 1, object({ orderId: string(), lines: array(OrderLine) }));
export type StockReleasedV1 = Infer<typeof StockReleasedV1>;

/** Everything the inventory service publishes on the inventory topic. */
export const InventoryEvent = discriminatedUnion('type', [StockReservedV2, StockRejectedV1, StockReleasedV1]);
export type InventoryEvent = Infer<typeof InventoryEvent>;
export type InventoryEventType = InventoryEvent['type'];

/** The provider captured the order's payment: the order is paid, its held stock is sold. */
export const PaymentCapturedV1 = envelope(
  'PaymentCaptured',
  1,
  object({
    orderId: string(),
    amount: int().check(minimum(0)),
    currency: CurrencyCode,
    /** The provider's id for the charge (a PaymentIntent id). */
    providerReference: string().check(minLength(1)),
  }),
);
export type PaymentCapturedV1 = Infer<typeof PaymentCapturedV1>;

/** The order's payment ended without money taken (or with it refunded): its held stock goes back. */
export const PaymentFailedV1 = envelope(
  'PaymentFailed',
  1,
  object({
    orderId: string(),
    amount: int().check(minimum(0)),
    currency: CurrencyCode,
    reason: PaymentFailureReason,
    /** The provider's decline code or error message, when it gave one. */
    detail: optional(string()),
    providerReference: optional(string()),
  }),
);
export type PaymentFailedV1 = Infer<typeof PaymentFailedV1>;

/** Money taken for an order that was cancelled in the meantime went back to the customer. */
export const PaymentRefundedV1 = envelope(
  'PaymentRefunded',
  1,
  object({
    orderId: string(),
    amount: int().check(minimum(0)),
    currency: CurrencyCode,
    providerReference: string().check(minLength(1)),
    /** The provider's id for the refund. */
    refundReference: string().check(minLength(1)),
  }),
);
export type PaymentRefundedV1 = Infer<typeof PaymentRefundedV1>;

/** Everything the payments service publishes on the payments topic. */
export const PaymentEvent = discriminatedUnion('type', [PaymentCapturedV1, PaymentFailedV1, PaymentRefundedV1]);
export type PaymentEvent = Infer<typeof PaymentEvent>;
export type PaymentEventType = PaymentEvent['type'];

/**
 * A day's sales report was built (or built again, after late events): the JSON and CSV files are in
 * `bucket` under `files`, and `currencies` sums them up.
 */
export const DailyReportReadyV1 = envelope(
  'DailyReportReady',
  1,
  object({
    date: ReportDate,
    builtAt: iso.datetime(),
    bucket: string().check(minLength(1)),
    files: object({ json: string(), csv: string() }),
    currencies: array(CurrencySales),
    skuRows: int().check(minimum(0)),
  }),
);
export type DailyReportReadyV1 = Infer<typeof DailyReportReadyV1>;

/** Everything the reporting service publishes on the reports topic. */
export const ReportEvent = discriminatedUnion('type', [DailyReportReadyV1]);
export type ReportEvent = Infer<typeof ReportEvent>;

/** Every event a service publishes, on any topic. */
export type DomainEvent = OrderEvent | InventoryEvent | PaymentEvent | ReportEvent;
export type DomainEventType = DomainEvent['type'];
export type EventOf<Type extends DomainEventType> = Extract<DomainEvent, { type: Type }>;

/** The version of each event's schema that producers write today; a new version of an event changes its entry. */
const CURRENT_VERSION = {
  OrderPlaced: 1,
  OrderReserved: 1,
  OrderConfirmed: 1,
  OrderCancelled: 1,
  OrderRejected: 1,
  StockReserved: 2,
  StockRejected: 1,
  StockReleased: 1,
  PaymentCaptured: 1,
  PaymentFailed: 1,
  PaymentRefunded: 1,
  DailyReportReady: 1,
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
