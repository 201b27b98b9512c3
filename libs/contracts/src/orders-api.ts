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
  regex,
  string,
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

export const OrderLine = object({
  sku: Sku,
  quantity: int().check(minimum(1), maximum(1000)),
});
export type OrderLine = Infer<typeof OrderLine>;

export const PlaceOrderRequest = object({
  customerId: CustomerId,
  currency: CurrencyCode,
  lines: array(OrderLine).check(minLength(1), maxLength(50)),
});
export type PlaceOrderRequest = Infer<typeof PlaceOrderRequest>;

export const OrderStatus = oneOf(['PENDING', 'RESERVED', 'REJECTED', 'CANCELLED']);
export type OrderStatus = Infer<typeof OrderStatus>;

/** Why inventory could not hold an order's lines, one entry per failing line. */
export const OrderRejection = array(
  object({ sku: string(), reason: oneOf(['UNKNOWN_SKU', 'INSUFFICIENT_STOCK']), requested: int(), available: optional(int()) }),
);

export const Order = object({
  orderId: string(),
  status: OrderStatus,
  customerId: CustomerId,
  currency: CurrencyCode,
  lines: array(OrderLine),
  createdAt: iso.datetime(),
  updatedAt: iso.datetime(),
  rejectionReasons: optional(OrderRejection),
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
