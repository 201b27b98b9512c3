import type {
  OrderCancelledV1,
  OrderPlacedV1,
  OrderRejectedV1,
  StockRejectedV1,
  StockRejectionReason,
  StockReleasedV1,
  StockReservedV1,
} from '@storefront/contracts';

export const EVENT_SOURCE = 'storefront.inventory';

export interface EventDeps {
  now(): Date;
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

const envelope = (deps: EventDeps, correlationId: string) => ({
  id: deps.newId(),
  version: 1 as const,
  occurredAt: deps.now().toISOString(),
  source: EVENT_SOURCE,
  correlationId,
});

export function stockReserved(placed: OrderPlacedV1, deps: EventDeps): StockReservedV1 {
  return {
    ...envelope(deps, placed.correlationId),
    type: 'StockReserved',
    data: { orderId: placed.data.orderId, lines: placed.data.lines },
  };
}

export function stockRejected(placed: OrderPlacedV1, reasons: StockRejectionReason[], deps: EventDeps): StockRejectedV1 {
  return { ...envelope(deps, placed.correlationId), type: 'StockRejected', data: { orderId: placed.data.orderId, reasons } };
}

export function stockReleased(withdrawn: OrderCancelledV1 | OrderRejectedV1, lines: Line[], deps: EventDeps): StockReleasedV1 {
  return { ...envelope(deps, withdrawn.correlationId), type: 'StockReleased', data: { orderId: withdrawn.data.orderId, lines } };
}
