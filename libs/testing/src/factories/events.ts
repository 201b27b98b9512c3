import type {
  OrderCancelledV1,
  OrderPlacedV1,
  OrderRejectedV1,
  OrderReservedV1,
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

/** Stock is held for the order's lines at 12.50 EUR a unit: payments charges the total with the customer's payment method. */
export const anOrderReserved = (overrides: EventOverrides<OrderReservedV1> = {}): OrderReservedV1 =>
  anEvent(
    {
      ...envelope('storefront.orders'),
      type: 'OrderReserved',
      data: { orderId, customerId, amount: 2500, currency: 'EUR', paymentMethod: 'pm_card_visa', lines: lines() },
    },
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

export const aStockReserved = (overrides: EventOverrides<StockReservedV2> = {}): StockReservedV2 =>
  anEvent(
    {
      ...envelope('storefront.inventory'),
      version: 2,
      type: 'StockReserved',
      data: { orderId, lines: lines().map((line) => ({ ...line, unitPrice: 1250, currency: 'EUR' })) },
    },
    overrides,
  );

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
