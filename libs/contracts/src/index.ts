export type { Schema } from './zod';
export { parseWith, type ParseResult, type SchemaIssue } from './parse';
export {
  CurrencyCode,
  CustomerId,
  CustomerIdPath,
  Order,
  OrderIdPath,
  normalizeLines,
  ORDER_LIMITS,
  OrderLine,
  OrderLines,
  OrderPage,
  OrderStatus,
  OrderStatusReason,
  PageQuery,
  PlaceOrderHeaders,
  PlaceOrderRequest,
  Sku,
} from './orders-api';
export {
  EVENT_TYPE_ATTRIBUTE,
  newEvent,
  OrderCancelledV1,
  OrderEvent,
  OrderPlacedV1,
  OrderRejectedV1,
  InventoryEvent,
  StockRejectedV1,
  StockRejectionReason,
  StockReleasedV1,
  StockReservedV1,
  type DomainEvent,
  type DomainEventType,
  type EventMetadata,
  type EventOf,
  type OrderEventType,
} from './events';
export { Product, ProductPage, PutProductRequest, SkuPath, StockAdjustmentRequest } from './inventory-api';
export { Notification, NotificationKind, NotificationPage } from './notifications-api';
export { HttpRoutes, routeKeysOf, type HttpRoute } from './http-routes';
export { openApiDocument } from './openapi';
