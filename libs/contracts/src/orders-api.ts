import {
  _default,
  array,
  coerce,
  describe,
  enum as oneOf,
  int,
  iso,
  maxLength,
  maximum,
  minLength,
  minimum,
  object,
  optional,
  pipe,
  regex,
  string,
  superRefine,
  transform,
  meta,
  type infer as Infer,
} from 'zod/mini';
import './zod';

/** Currency codes are ISO 4217: three upper-case letters. */
export const CurrencyCode = string().check(regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR'));

export const Sku = string().check(
  minLength(1),
  maxLength(64),
  regex(/^[A-Za-z0-9._-]+$/, 'may hold letters, digits, dot, dash and underscore'),
);

export const CustomerId = string().check(minLength(1), maxLength(128));

/** The limits of one order, checked on its normalized lines (one line per SKU). */
export const ORDER_LIMITS = { unitsPerSku: 1000, skusPerOrder: 50 } as const;

/** A line as inventory holds and releases it (StockReserved, StockReleased). */
export const OrderLine = object({
  sku: Sku,
  quantity: int().check(minimum(1), maximum(ORDER_LIMITS.unitsPerSku)),
});
export type OrderLine = Infer<typeof OrderLine>;

/** A held line and the price inventory held it at: `unitPrice` in minor units of the product's `currency`. */
export const PricedLine = object({
  sku: OrderLine.shape.sku,
  quantity: OrderLine.shape.quantity,
  unitPrice: int().check(minimum(0)),
  currency: CurrencyCode,
});
export type PricedLine = Infer<typeof PricedLine>;

/**
 * The normal form of an order's lines: one line per SKU, its quantities added
 * up, in the order each SKU first appears. The API normalizes a request with
 * it before checking the limits, and the domain builds orders with it, so
 * both read the same lines.
 */
export function normalizeLines(lines: readonly OrderLine[]): OrderLine[] {
  const quantities = new Map<string, number>();
  for (const { sku, quantity } of lines) quantities.set(sku, (quantities.get(sku) ?? 0) + quantity);
  return [...quantities].map(([sku, quantity]) => ({ sku, quantity }));
}

/** Every way a list of lines breaks the order rule, each naming the rule. */
function orderRuleBreaches(lines: readonly OrderLine[]): string[] {
  const breaches: string[] = [];
  const seen = new Set<string>();
  for (const { sku } of lines) {
    if (seen.has(sku)) breaches.push(`SKU ${sku} appears on more than one line; one line per SKU`);
    seen.add(sku);
  }
  for (const { sku, quantity } of normalizeLines(lines))
    if (quantity > ORDER_LIMITS.unitsPerSku)
      breaches.push(`SKU ${sku} totals ${quantity} units; at most ${ORDER_LIMITS.unitsPerSku} per SKU`);
  if (seen.size > ORDER_LIMITS.skusPerOrder) breaches.push(`${seen.size} SKUs; at most ${ORDER_LIMITS.skusPerOrder} per order`);
  return [...new Set(breaches)];
}

/**
 * A line as written: a SKU and a positive whole number of units. The limit is
 * the order rule's (per SKU, after normalization); the `maximum` here only
 * documents what that rule implies for any single line.
 */
const LineShape = object({ sku: Sku, quantity: int().check(minimum(1), meta({ maximum: ORDER_LIMITS.unitsPerSku })) });

const RULE = `one line per SKU, 1 to ${ORDER_LIMITS.skusPerOrder} SKUs, at most ${ORDER_LIMITS.unitsPerSku} units per SKU`;

/**
 * The one rule for what an order's lines are, after normalization: the
 * request (once normalized), the stored order and every event that carries
 * its lines are checked with this schema. A quantity is checked per SKU
 * here, not per line, so a breach names the SKU and its total.
 */
export const OrderLines = array(LineShape).check(
  meta({ description: `The order rule: ${RULE}.`, maxItems: ORDER_LIMITS.skusPerOrder }),
  minLength(1),
  superRefine((lines, context) => {
    for (const message of orderRuleBreaches(lines)) context.addIssue({ code: 'custom', message, input: lines });
  }),
);

/**
 * A payment provider's payment-method token, e.g. `pm_card_visa` (Stripe's test
 * tokens) or a `pm_…` id the client got from the provider. The order keeps it
 * and hands it to payments once stock is held; it is never a card number.
 */
export const PaymentMethod = string().check(
  minLength(4),
  maxLength(255),
  regex(/^pm_[A-Za-z0-9_]+$/, 'must be a payment-method token such as pm_card_visa'),
);

/** An amount of money in minor units (cents), with its ISO 4217 currency. */
export const Money = object({
  amount: int().check(minimum(0)),
  currency: CurrencyCode,
});
export type Money = Infer<typeof Money>;

export const PlaceOrderRequest = object({
  /** The signed-in customer places the order; naming anyone else is a 403. */
  customerId: optional(CustomerId.check(meta({ description: "Optional: the token's customer; any other customer id is a 403" }))),
  currency: CurrencyCode,
  paymentMethod: PaymentMethod,
  // Normalize first, then check the rule: duplicate SKUs are added up, and the totals must fit the limits.
  lines: pipe(
    pipe(
      array(LineShape).check(
        meta({ description: `Lines for the same SKU are added up first; then the order rule applies: ${RULE}.`, minItems: 1 }),
      ),
      transform((lines) => normalizeLines(lines)),
    ),
    OrderLines,
  ),
});
export type PlaceOrderRequest = Infer<typeof PlaceOrderRequest>;

/**
 * PENDING → RESERVED (stock held, payment under way) → CONFIRMED (paid) or
 * PAYMENT_FAILED (stock released); REJECTED and CANCELLED end an order early.
 */
export const OrderStatus = oneOf(['PENDING', 'RESERVED', 'CONFIRMED', 'PAYMENT_FAILED', 'REJECTED', 'CANCELLED']);
export type OrderStatus = Infer<typeof OrderStatus>;

/**
 * Why the orders service itself rejected an order: RESERVATION_TIMEOUT when
 * inventory never answered within the limit; CURRENCY_MISMATCH when a product
 * is priced in another currency than the order; PAYMENT_TIMEOUT when the
 * payment never ended within the limit (stock held, no outcome from payments).
 */
export const OrderStatusReason = oneOf(['RESERVATION_TIMEOUT', 'CURRENCY_MISMATCH', 'PAYMENT_TIMEOUT']);
export type OrderStatusReason = Infer<typeof OrderStatusReason>;

/**
 * Why a payment failed: DECLINED by the provider (a card error, with its
 * code), PROVIDER_UNAVAILABLE when every attempt met an outage or a timeout,
 * CANCELLED when the order was cancelled before the charge.
 */
export const PaymentFailureReason = oneOf(['DECLINED', 'PROVIDER_UNAVAILABLE', 'CANCELLED']);
export type PaymentFailureReason = Infer<typeof PaymentFailureReason>;

/** The outcome of an order's payment as the order shows it. */
export const OrderPayment = object({
  status: oneOf(['CAPTURED', 'FAILED']),
  /** The provider's id for the charge (a PaymentIntent id), when it got one. */
  providerReference: optional(string()),
  reason: optional(PaymentFailureReason),
  /** The provider's decline code or message, when it gave one. */
  detail: optional(string()),
});
export type OrderPayment = Infer<typeof OrderPayment>;

/** Why inventory could not hold an order's lines, one entry per failing line. */
export const OrderRejection = array(
  object({ sku: string(), reason: oneOf(['UNKNOWN_SKU', 'INSUFFICIENT_STOCK']), requested: int(), available: optional(int()) }),
);

export const Order = object({
  orderId: string(),
  status: OrderStatus,
  customerId: CustomerId,
  currency: CurrencyCode,
  /** The payment-method token the order was placed with; payments charges it once stock is held. */
  paymentMethod: PaymentMethod,
  lines: OrderLines,
  createdAt: iso.datetime(),
  updatedAt: iso.datetime(),
  rejectionReasons: optional(OrderRejection),
  statusReason: optional(OrderStatusReason),
  /** What the order costs: the sum of the prices inventory held the lines at; present from RESERVED on. */
  total: optional(Money),
  /** Each line at the price inventory held it at; present from RESERVED on (orders reserved before it was kept lack it). */
  pricedLines: optional(array(PricedLine)),
  /** How the payment ended: present once the order is CONFIRMED or PAYMENT_FAILED. */
  payment: optional(OrderPayment),
});
export type Order = Infer<typeof Order>;

/** Where the next page starts: opaque and signed for the one listing that issued it. */
export const NextCursor = optional(
  string().check(describe('Present when there are more items: pass it back unchanged as `cursor` to read the next page of this listing')),
);

export const OrderPage = object({
  items: array(Order),
  nextCursor: NextCursor,
});
export type OrderPage = Infer<typeof OrderPage>;

export const OrderIdPath = object({ orderId: string().check(minLength(1), maxLength(64)) });
export const CustomerIdPath = object({ customerId: CustomerId });

export const PageQuery = object({
  limit: _default(coerce.number().check(int(), minimum(1), maximum(100)), 20),
  cursor: optional(
    string().check(
      minLength(1),
      maxLength(2048),
      describe('The nextCursor of the previous page of this same listing, unchanged; any other value is a 400 on query.cursor'),
    ),
  ),
});
export type PageQuery = Infer<typeof PageQuery>;

/** Headers of POST /orders: an optional Idempotency-Key of printable ASCII, as clients generate them (UUIDs, ULIDs …). */
export const PlaceOrderHeaders = object({
  'idempotency-key': optional(
    string().check(minLength(1), maxLength(255), regex(/^[\x21-\x7E]+$/, 'must be 1-255 printable ASCII characters')),
  ),
});
export type PlaceOrderHeaders = Infer<typeof PlaceOrderHeaders>;
