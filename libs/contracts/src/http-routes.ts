import { CustomerIdPath, Order, OrderIdPath, OrderPage, PageQuery, PlaceOrderHeaders, PlaceOrderRequest } from './orders-api';
import { Product, ProductPage, PutProductRequest, SkuPath, StockAdjustmentRequest } from './inventory-api';
import { NotificationPage } from './notifications-api';
import { Payment } from './payments-api';
import type { RouteAccess } from './access';
import { DailyReport, DailyReportBuild, ReportDatePath } from './reporting-api';
import type { Schema } from './zod';

/**
 * One HTTP route of the shared API: what it accepts (the schemas its handler
 * validates with) and what it answers. Handlers and the OpenAPI document both
 * read these, so the documentation cannot drift from the validation.
 */
export interface HttpRoute {
  service: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** The path as API Gateway writes it, e.g. /orders/{orderId}. */
  template: string;
  summary: string;
  body?: Schema;
  path?: Schema;
  query?: Schema;
  headers?: Schema;
  /** Status → body schema (undefined: no body). */
  responses: Record<number, Schema | undefined>;
  /** The problem+json statuses the route answers besides 500 (and the 401/403 of its access, added for it). */
  problems: number[];
  /** Who may call it (see access.ts): its authorizer scopes on API Gateway, its group check in the handler. */
  access: RouteAccess;
}

/** The part of a route its handler checks every request with: schemas of what it accepts, and who may call it. */
export type RouteRequest = Pick<HttpRoute, 'body' | 'path' | 'query' | 'headers' | 'access'>;

const request = <R extends RouteRequest>(definition: R) => definition;
const route = <R extends HttpRoute>(definition: R) => definition;

// Each route's request part is an export of its own, which its handler imports (`httpHandler(getOrderRoute, …)`):
// a bundle then builds the schemas of the route it serves and no other (the bundling makes unread contracts removable:
// libs/serverless-base/bundling/esbuild-plugins.ts). Responses and summaries are for the OpenAPI document only.

export const placeOrderRoute = request({
  body: PlaceOrderRequest,
  headers: PlaceOrderHeaders,
  access: 'customer',
});

export const getOrderRoute = request({
  path: OrderIdPath,
  access: 'customer',
});

export const listCustomerOrdersRoute = request({
  path: CustomerIdPath,
  query: PageQuery,
  access: 'customer',
});

export const cancelOrderRoute = request({
  path: OrderIdPath,
  access: 'customer',
});

export const putProductRoute = request({
  path: SkuPath,
  body: PutProductRequest,
  access: 'admin',
});

export const getProductRoute = request({
  path: SkuPath,
  access: 'public',
});

export const listProductsRoute = request({
  query: PageQuery,
  access: 'public',
});

export const adjustStockRoute = request({
  path: SkuPath,
  body: StockAdjustmentRequest,
  access: 'admin',
});

export const listCustomerNotificationsRoute = request({
  path: CustomerIdPath,
  query: PageQuery,
  access: 'customer',
});

export const getPaymentRoute = request({
  path: OrderIdPath,
  access: 'customer',
});

export const getDailyReportRoute = request({
  path: ReportDatePath,
  access: 'admin',
});

export const buildDailyReportRoute = request({
  path: ReportDatePath,
  access: 'admin',
});

export const HttpRoutes = {
  placeOrder: route({
    service: 'orders',
    method: 'POST',
    template: '/orders',
    summary: 'Place an order (PENDING until inventory answers); Idempotency-Key makes retries safe',
    responses: { 201: Order },
    problems: [400, 409],
    ...placeOrderRoute,
  }),
  getOrder: route({
    service: 'orders',
    method: 'GET',
    template: '/orders/{orderId}',
    summary: 'Read an order, with the reasons if inventory rejected it',
    responses: { 200: Order },
    problems: [400, 404],
    ...getOrderRoute,
  }),
  listCustomerOrders: route({
    service: 'orders',
    method: 'GET',
    template: '/customers/{customerId}/orders',
    summary: "A customer's orders, newest first, a page at a time",
    responses: { 200: OrderPage },
    problems: [400],
    ...listCustomerOrdersRoute,
  }),
  cancelOrder: route({
    service: 'orders',
    method: 'POST',
    template: '/orders/{orderId}/cancel',
    summary: 'Cancel an order that is PENDING or RESERVED; its stock is released',
    responses: { 200: Order },
    problems: [400, 404, 409],
    ...cancelOrderRoute,
  }),
  putProduct: route({
    service: 'inventory',
    method: 'PUT',
    template: '/products/{sku}',
    summary: 'Create or replace a product and its available stock (units reserved for orders are kept)',
    responses: { 200: Product },
    problems: [400],
    ...putProductRoute,
  }),
  getProduct: route({
    service: 'inventory',
    method: 'GET',
    template: '/products/{sku}',
    summary: 'Read a product with its available and reserved stock',
    responses: { 200: Product },
    problems: [400, 404],
    ...getProductRoute,
  }),
  listProducts: route({
    service: 'inventory',
    method: 'GET',
    template: '/products',
    summary: 'Products in SKU order, a page at a time',
    responses: { 200: ProductPage },
    problems: [400],
    ...listProductsRoute,
  }),
  adjustStock: route({
    service: 'inventory',
    method: 'POST',
    template: '/products/{sku}/stock-adjustments',
    summary: 'Change available stock by a signed delta, with a reason; never below zero',
    responses: { 200: Product },
    problems: [400, 404, 409],
    ...adjustStockRoute,
  }),
  listCustomerNotifications: route({
    service: 'notifications',
    method: 'GET',
    template: '/customers/{customerId}/notifications',
    summary: 'What a customer was told about their orders, newest first',
    responses: { 200: NotificationPage },
    problems: [400],
    ...listCustomerNotificationsRoute,
  }),
  getPayment: route({
    service: 'payments',
    method: 'GET',
    template: '/payments/{orderId}',
    summary: "An order's payment: status, amount, provider reference and the number of attempts to charge it",
    responses: { 200: Payment },
    problems: [400, 404],
    ...getPaymentRoute,
  }),
  getDailyReport: route({
    service: 'reporting',
    method: 'GET',
    template: '/reports/daily/{date}',
    summary: "A UTC day's sales report (paid orders, units and revenue per currency; refunds) with a 15-minute download link for its CSV",
    responses: { 200: DailyReport },
    problems: [400, 404],
    ...getDailyReportRoute,
  }),
  buildDailyReport: route({
    service: 'reporting',
    method: 'POST',
    template: '/reports/daily/{date}',
    summary: "Build (or rebuild) a day's sales report now, through the same workflow as the nightly schedule; one build per day at a time",
    responses: { 202: DailyReportBuild },
    problems: [400, 409],
    ...buildDailyReportRoute,
  }),
};

/** Every route a service's contract lists: what its template must deploy, each guarded as its access says. */
export function routesOf(service: string): HttpRoute[] {
  return Object.values(HttpRoutes as Record<string, HttpRoute>).filter((route) => route.service === service);
}

/** `METHOD /path` of every route a service's contract lists, sorted. */
export function routeKeysOf(service: string): string[] {
  return routesOf(service)
    .map((route) => `${route.method} ${route.template}`)
    .sort();
}
