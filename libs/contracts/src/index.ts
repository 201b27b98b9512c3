export type { Schema } from './zod';
export { parseWith, type ParseResult, type SchemaIssue } from './parse';
export {
  CurrencyCode,
  CustomerId,
  CustomerIdPath,
  Order,
  Money,
  OrderIdPath,
  OrderPayment,
  normalizeLines,
  ORDER_LIMITS,
  OrderLine,
  OrderLines,
  OrderPage,
  OrderStatus,
  OrderStatusReason,
  PageQuery,
  PaymentFailureReason,
  PaymentMethod,
  PricedLine,
  PlaceOrderHeaders,
  PlaceOrderRequest,
  Sku,
} from './orders-api';
export {
  EVENT_TYPE_ATTRIBUTE,
  newEvent,
  DailyReportReadyV1,
  OrderCancelledV1,
  OrderConfirmedV1,
  OrderEvent,
  OrderPlacedV1,
  OrderRejectedV1,
  OrderReservedV1,
  InventoryEvent,
  PaymentCapturedV1,
  PaymentEvent,
  PaymentFailedV1,
  PaymentRefundedV1,
  StockRejectedV1,
  StockRejectionReason,
  StockReleasedV1,
  StockReservedV2,
  ReportEvent,
  type DomainEvent,
  type DomainEventType,
  type EventMetadata,
  type EventOf,
  type InventoryEventType,
  type OrderEventType,
  type PaymentEventType,
} from './events';
export { eventsOf, type Consumed } from './consumed-events';
export { eventMetadata, type Clock, type EventContext, type IdGenerator } from './domain-primitives';
export { Product, ProductPage, PutProductRequest, SkuPath, StockAdjustmentRequest } from './inventory-api';
export { Notification, NotificationKind, NotificationPage } from './notifications-api';
export { Payment, PaymentStatus } from './payments-api';
export {
  ChargeResult,
  ChargeUnavailable,
  CheckoutInput,
  RecordedPayment,
  ReconcileInput,
  ReconcileResult,
  RecordOutcomeInput,
  type ChargeOutcome,
} from './checkout-workflow';
export {
  ACCESS_REQUIREMENTS,
  callerFromClaims,
  claimList,
  Groups,
  isAdmin,
  mayActFor,
  Scopes,
  type AccessRequirement,
  type Caller,
  type RouteAccess,
} from './access';
export { HttpRoutes, routeKeysOf, routesOf, type HttpRoute } from './http-routes';
export { openApiDocument } from './openapi';
export {
  CurrencySales,
  DailyReport,
  DailyReportBuild,
  DailyReportFile,
  ReportDate,
  ReportDatePath,
  SalesFigures,
  SkuSales,
} from './reporting-api';
export {
  PlanReportsInput,
  PlannedReports,
  BuildDayInput,
  WrittenReport,
  RecordReportInput,
  RecordedReport,
  ReleaseBuildInput,
  ReportRequest,
} from './reporting-workflow';
