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

const route = <R extends HttpRoute>(definition: R) => definition;

export const HttpRoutes = {
  placeOrder: route({
    service: 'orders',
    method: 'POST',
    template: '/orders',
    summary: 'Place an order (PENDING until inventory answers); Idempotency-Key makes retries safe',
    body: PlaceOrderRequest,
    headers: PlaceOrderHeaders,
    responses: { 201: Order },
    problems: [400, 409],
    access: 'customer',
  }),
  getOrder: route({
    service: 'orders',
    method: 'GET',
    template: '/orders/{orderId}',
    summary: 'Read an order, with the reasons if inventory rejected it',
    path: OrderIdPath,
    responses: { 200: Order },
    problems: [400, 404],
    access: 'customer',
  }),
  listCustomerOrders: route({
    service: 'orders',
    method: 'GET',
    template: '/customers/{customerId}/orders',
    summary: "A customer's orders, newest first, a page at a time",
    path: CustomerIdPath,
    query: PageQuery,
    responses: { 200: OrderPage },
    problems: [400],
    access: 'customer',
  }),
  cancelOrder: route({
    service: 'orders',
    method: 'POST',
    template: '/orders/{orderId}/cancel',
    summary: 'Cancel an order that is PENDING or RESERVED; its stock is released',
    path: OrderIdPath,
    responses: { 200: Order },
    problems: [400, 404, 409],
    access: 'customer',
  }),
  putProduct: route({
    service: 'inventory',
    method: 'PUT',
    template: '/products/{sku}',
    summary: 'Create or replace a product and its available stock (units reserved for orders are kept)',
    path: SkuPath,
    body: PutProductRequest,
    responses: { 200: Product },
    problems: [400],
    access: 'admin',
  }),
  getProduct: route({
    service: 'inventory',
    method: 'GET',
    template: '/products/{sku}',
    summary: 'Read a product with its available and reserved stock',
    path: SkuPath,
    responses: { 200: Product },
    problems: [400, 404],
    access: 'public',
  }),
  listProducts: route({
    service: 'inventory',
    method: 'GET',
    template: '/products',
    summary: 'Products in SKU order, a page at a time',
    query: PageQuery,
    responses: { 200: ProductPage },
    problems: [400],
    access: 'public',
  }),
  adjustStock: route({
    service: 'inventory',
    method: 'POST',
    template: '/products/{sku}/stock-adjustments',
    summary: 'Change available stock by a signed delta, with a reason; never below zero',
    path: SkuPath,
    body: StockAdjustmentRequest,
    responses: { 200: Product },
    problems: [400, 404, 409],
    access: 'admin',
  }),
  listCustomerNotifications: route({
    service: 'notifications',
    method: 'GET',
    template: '/customers/{customerId}/notifications',
    summary: 'What a customer was told about their orders, newest first',
    path: CustomerIdPath,
    query: PageQuery,
    responses: { 200: NotificationPage },
    problems: [400],
    access: 'customer',
  }),
  getPayment: route({
    service: 'payments',
    method: 'GET',
    template: '/payments/{orderId}',
    summary: "An order's payment: status, amount, provider reference and the number of attempts to charge it",
    path: OrderIdPath,
    responses: { 200: Payment },
    problems: [400, 404],
    access: 'customer',
  }),
  getDailyReport: route({
    service: 'reporting',
    method: 'GET',
    template: '/reports/daily/{date}',
    summary: "A UTC day's sales report (paid orders, units and revenue per currency; refunds) with a 15-minute download link for its CSV",
    path: ReportDatePath,
    responses: { 200: DailyReport },
    problems: [400, 404],
    access: 'admin',
  }),
  buildDailyReport: route({
    service: 'reporting',
    method: 'POST',
    template: '/reports/daily/{date}',
    summary: "Build (or rebuild) a day's sales report now, through the same workflow as the nightly schedule; one build per day at a time",
    path: ReportDatePath,
    responses: { 202: DailyReportBuild },
    problems: [400, 409],
    access: 'admin',
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
