import type {
  DailyReportReadyV1,
  OrderCancelledV1,
  OrderConfirmedV1,
  OrderPlacedV1,
  OrderRejectedV1,
  OrderReservedV1,
  PaymentCapturedV1,
  PaymentFailedV1,
  PaymentRefundedV1,
  StockRejectedV1,
  StockReleasedV1,
  StockReservedV2,
} from '@storefront/contracts';
import { TEST_TIME, uniqueId } from './sequence';

/** Any envelope field, and any field of its data; the rest keeps the defaults. */
export type EventOverrides<Event extends { data: object }> = Partial<Omit<Event, 'data'>> & { data?: Partial<Event['data']> };

// The one order every fixture is about unless a test names another: the order `aPlaceOrderRequest` places.
const orderId = 'o-1';
const customerId = 'customer-1';
const lines = () => [{ sku: 'SKU-1', quantity: 2 }];
// What inventory held those lines at, and so what the order costs: 2 × 19.99 EUR.
const pricedLines = () => [{ sku: 'SKU-1', quantity: 2, unitPrice: 1999, currency: 'EUR' }];
const amount = 3998;
const currency = 'EUR';

function anEvent<Event extends { data: object }>(defaults: Event, overrides: EventOverrides<Event>): Event {
  return { ...defaults, ...overrides, data: { ...defaults.data, ...overrides.data } };
}

/** Each event gets an id of its own, as every published event has. */
const envelope = (source: string) => ({ id: uniqueId('evt'), version: 1 as const, occurredAt: TEST_TIME, source, correlationId: 'corr-1' });

export const anOrderPlaced = (overrides: EventOverrides<OrderPlacedV1> = {}): OrderPlacedV1 =>
  anEvent(
    { ...envelope('storefront.orders'), type: 'OrderPlaced', data: { orderId, customerId, currency: 'EUR', lines: lines() } },
    overrides,
  );

export const anOrderCancelled = (overrides: EventOverrides<OrderCancelledV1> = {}): OrderCancelledV1 =>
  anEvent(
    { ...envelope('storefront.orders'), type: 'OrderCancelled', data: { orderId, customerId, previousStatus: 'PENDING', lines: lines() } },
    overrides,
  );

/** Orders gave up on the order: inventory never answered within the limit. */
export const anOrderRejected = (overrides: EventOverrides<OrderRejectedV1> = {}): OrderRejectedV1 =>
  anEvent(
    {
      ...envelope('storefront.orders'),
      type: 'OrderRejected',
      data: { orderId, customerId, previousStatus: 'PENDING', reason: 'RESERVATION_TIMEOUT' },
    },
    overrides,
  );

/** Stock is held and the order's total known: what payments charges. */
export const anOrderReserved = (overrides: EventOverrides<OrderReservedV1> = {}): OrderReservedV1 =>
  anEvent(
    {
      ...envelope('storefront.orders'),
      type: 'OrderReserved',
      data: { orderId, customerId, amount, currency, paymentMethod: 'pm_card_visa', lines: lines() },
    },
    overrides,
  );

/** The order was paid: what it sold, line by line at the prices it was reserved at. */
export const anOrderConfirmed = (overrides: EventOverrides<OrderConfirmedV1> = {}): OrderConfirmedV1 =>
  anEvent(
    {
      ...envelope('storefront.orders'),
      type: 'OrderConfirmed',
      data: { orderId, customerId, amount, currency, lines: pricedLines(), providerReference: 'pi_test_1' },
    },
    overrides,
  );

/** Version 2: every line with the price inventory held it at. */
export const aStockReserved = (overrides: EventOverrides<StockReservedV2> = {}): StockReservedV2 =>
  anEvent({ ...envelope('storefront.inventory'), version: 2, type: 'StockReserved', data: { orderId, lines: pricedLines() } }, overrides);

export const aStockRejected = (overrides: EventOverrides<StockRejectedV1> = {}): StockRejectedV1 =>
  anEvent(
    {
      ...envelope('storefront.inventory'),
      type: 'StockRejected',
      data: { orderId, reasons: [{ sku: 'SKU-1', reason: 'INSUFFICIENT_STOCK', requested: 2, available: 1 }] },
    },
    overrides,
  );

export const aStockReleased = (overrides: EventOverrides<StockReleasedV1> = {}): StockReleasedV1 =>
  anEvent({ ...envelope('storefront.inventory'), type: 'StockReleased', data: { orderId, lines: lines() } }, overrides);

export const aPaymentCaptured = (overrides: EventOverrides<PaymentCapturedV1> = {}): PaymentCapturedV1 =>
  anEvent(
    { ...envelope('storefront.payments'), type: 'PaymentCaptured', data: { orderId, amount, currency, providerReference: 'pi_test_1' } },
    overrides,
  );

/** Declined by the provider with a decline code, no money taken. */
export const aPaymentFailed = (overrides: EventOverrides<PaymentFailedV1> = {}): PaymentFailedV1 =>
  anEvent(
    {
      ...envelope('storefront.payments'),
      type: 'PaymentFailed',
      data: { orderId, amount, currency, reason: 'DECLINED', detail: 'generic_decline', providerReference: 'pi_test_1' },
    },
    overrides,
  );

/** Money taken for an order cancelled meanwhile went back. */
export const aPaymentRefunded = (overrides: EventOverrides<PaymentRefundedV1> = {}): PaymentRefundedV1 =>
  anEvent(
    {
      ...envelope('storefront.payments'),
      type: 'PaymentRefunded',
      data: { orderId, amount, currency, providerReference: 'pi_test_1', refundReference: 're_test_1' },
    },
    overrides,
  );

/** The report of the day of TEST_TIME was built: one order of two units. */
export const aDailyReportReady = (overrides: EventOverrides<DailyReportReadyV1> = {}): DailyReportReadyV1 =>
  anEvent(
    {
      ...envelope('storefront.reporting'),
      type: 'DailyReportReady',
      data: {
        date: TEST_TIME.slice(0, 10),
        builtAt: TEST_TIME,
        bucket: 'storefront-test-reports',
        files: { json: `reports/daily/${TEST_TIME.slice(0, 10)}.json`, csv: `reports/daily/${TEST_TIME.slice(0, 10)}.csv` },
        currencies: [
          { currency, orders: 1, units: 2, revenue: amount, refunds: 0, refundedUnits: 0, refundedAmount: 0, netRevenue: amount },
        ],
        skuRows: 1,
      },
    },
    overrides,
  );
