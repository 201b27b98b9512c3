import {
  newEvent,
  type OrderCancelledV1,
  type OrderPlacedV1,
  type OrderRejectedV1,
  type StockRejectedV1,
  type StockRejectionReason,
  type StockReleasedV1,
  type StockReservedV1,
} from '@storefront/contracts';

export const EVENT_SOURCE = 'storefront.inventory';

/** What the outside world supplies: time and ids. */
export interface Clock {
  now(): Date;
}
export interface IdGenerator {
  newId(): string;
}

export interface StockLevel {
  sku: string;
  stock: number;
}

type Line = OrderPlacedV1['data']['lines'][number];

/** Why each line cannot be held, given current stock; empty when every line could be. */
export function rejectionReasons(lines: Line[], levels: StockLevel[]): StockRejectionReason[] {
  const bySku = new Map(levels.map((level) => [level.sku, level.stock]));
  return lines.flatMap((line): StockRejectionReason[] => {
    const available = bySku.get(line.sku);
    if (available === undefined) return [{ sku: line.sku, reason: 'UNKNOWN_SKU', requested: line.quantity }];
    if (available < line.quantity) return [{ sku: line.sku, reason: 'INSUFFICIENT_STOCK', requested: line.quantity, available }];
    return [];
  });
}

/** Who publishes an inventory event, now, answering the order event whose correlation id it carries on. */
const metadata = (deps: Clock & IdGenerator, cause: { correlationId: string }) => ({
  id: deps.newId(),
  at: deps.now(),
  source: EVENT_SOURCE,
  correlationId: cause.correlationId,
});

export function stockReserved(placed: OrderPlacedV1, deps: Clock & IdGenerator): StockReservedV1 {
  return newEvent('StockReserved', { orderId: placed.data.orderId, lines: placed.data.lines }, metadata(deps, placed));
}

export function stockRejected(placed: OrderPlacedV1, reasons: StockRejectionReason[], deps: Clock & IdGenerator): StockRejectedV1 {
  return newEvent('StockRejected', { orderId: placed.data.orderId, reasons }, metadata(deps, placed));
}

export function stockReleased(withdrawn: OrderCancelledV1 | OrderRejectedV1, lines: Line[], deps: Clock & IdGenerator): StockReleasedV1 {
  return newEvent('StockReleased', { orderId: withdrawn.data.orderId, lines }, metadata(deps, withdrawn));
}
