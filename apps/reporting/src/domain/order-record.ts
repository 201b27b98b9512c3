import type { ReportingOrderRecord, OrderPlacedV1 } from '@storefront/contracts';

export type OrderRecord = ReportingOrderRecord;

/** What this service keeps of a placed order: who placed it, how many units, when. */
export function orderRecordFor(event: OrderPlacedV1): OrderRecord {
  return {
    orderId: event.data.orderId,
    customerId: event.data.customerId,
    units: event.data.lines.reduce((sum, line) => sum + line.quantity, 0),
    placedAt: event.occurredAt,
  };
}
