import {
  eventMetadata,
  newEvent,
  type Clock,
  type IdGenerator,
  type OrderCancelledV1,
  type OrderPlacedV1,
  type OrderRejectedV1,
  type PaymentFailedV1,
  type PaymentRefundedV1,
  type PricedLine,
  type StockRejectedV1,
  type StockRejectionReason,
  type StockReleasedV1,
  type StockReservedV2,
} from '@storefront/contracts';

export const EVENT_SOURCE = 'storefront.inventory';

/** A product as a reservation sees it: the units available, and the price a unit is held at (minor units of `currency`). */
export interface StockLevel {
  sku: string;
  stock: number;
  price: number;
  currency: string;
}

type Line = OrderPlacedV1['data']['lines'][number];

/** Why each line cannot be held, given current stock; empty when every line could be. */
export function rejectionReasons(lines: Line[], levels: Pick<StockLevel, 'sku' | 'stock'>[]): StockRejectionReason[] {
  const bySku = new Map(levels.map((level) => [level.sku, level.stock]));
  return lines.flatMap((line): StockRejectionReason[] => {
    const available = bySku.get(line.sku);
    if (available === undefined) return [{ sku: line.sku, reason: 'UNKNOWN_SKU', requested: line.quantity }];
    if (available < line.quantity) return [{ sku: line.sku, reason: 'INSUFFICIENT_STOCK', requested: line.quantity, available }];
    return [];
  });
}

/**
 * The order's lines at the prices of the products they hold: recorded with the
 * reservation and published in StockReserved, so what orders charges is what
 * inventory held. Every line's product must be among `levels`.
 */
export function pricedLines(lines: Line[], levels: StockLevel[]): PricedLine[] {
  const bySku = new Map(levels.map((level) => [level.sku, level]));
  return lines.map((line) => {
    const product = bySku.get(line.sku);
    if (!product) throw new Error(`No price for ${line.sku}: price only lines whose products exist`);
    return { ...line, unitPrice: product.price, currency: product.currency };
  });
}

/** Who publishes an inventory event, now, answering the order event whose correlation id it carries on. */
const metadata = (deps: Clock & IdGenerator, cause: { correlationId: string }) => eventMetadata(EVENT_SOURCE, deps, cause.correlationId);

export function stockReserved(placed: OrderPlacedV1, lines: PricedLine[], deps: Clock & IdGenerator): StockReservedV2 {
  return newEvent('StockReserved', { orderId: placed.data.orderId, lines }, metadata(deps, placed));
}

export function stockRejected(placed: OrderPlacedV1, reasons: StockRejectionReason[], deps: Clock & IdGenerator): StockRejectedV1 {
  return newEvent('StockRejected', { orderId: placed.data.orderId, reasons }, metadata(deps, placed));
}

/** What ends an order's hold without a sale: the customer cancelled, orders rejected it, or its payment failed. */
export type Withdrawal = OrderCancelledV1 | OrderRejectedV1 | PaymentFailedV1;

/** A refund gives back what the order held or bought, announced like a withdrawal's release. */
export function stockReleased(cause: Withdrawal | PaymentRefundedV1, lines: Line[], deps: Clock & IdGenerator): StockReleasedV1 {
  // Only the SKU and quantity travel: a held line also records its price.
  const released = lines.map(({ sku, quantity }) => ({ sku, quantity }));
  return newEvent('StockReleased', { orderId: cause.data.orderId, lines: released }, metadata(deps, cause));
}
