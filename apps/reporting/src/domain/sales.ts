import type { OrderConfirmedV1, PaymentRefundedV1 } from '@storefront/contracts';

/** The UTC day of an ISO time: `YYYY-MM-DD`. */
export const utcDay = (at: string): string => new Date(at).toISOString().slice(0, 10);

/** What a day's figures move by: sales (orders, units, revenue) and refunds of paid orders. */
export interface Figures {
  orders: number;
  units: number;
  revenue: number;
  refunds: number;
  refundedUnits: number;
  refundedAmount: number;
}

export const NO_FIGURES: Figures = { orders: 0, units: 0, revenue: 0, refunds: 0, refundedUnits: 0, refundedAmount: 0 };

/** One day's change in one currency: its totals and each SKU's share. */
export interface DayChange {
  day: string;
  currency: string;
  totals: Figures;
  skus: { sku: string; figures: Figures }[];
}

export interface SoldLine {
  sku: string;
  quantity: number;
  unitPrice: number;
}

/**
 * What reporting keeps about an order: its sale, once counted (the day it was paid, what it sold), and its
 * refund, counted once the sale is. A refund heard of before the sale (its OrderConfirmed still on the way)
 * waits here uncounted; a refund of an order never paid (cancelled while being charged) stays so.
 * `revision` orders the writes: each one is conditional on the revision it read.
 */
export interface OrderSales {
  orderId: string;
  revision: number;
  sale?: { day: string; at: string; currency: string; amount: number; lines: SoldLine[] };
  refund?: { day: string; at: string; currency: string; amount: number; reference: string; counted: boolean };
}

/** A decision about an event: the order's new record and the day figures it moves, or why it changes nothing. */
export type SalesDecision = { record: OrderSales; changes: DayChange[] } | { ignored: 'duplicate' | 'not-paid' };

const sum = (lines: SoldLine[], value: (line: SoldLine) => number) => lines.reduce((total, line) => total + value(line), 0);

/** A confirmed order's sale, counted on the UTC day it was confirmed (once per order, however often delivered). */
export function countSale(record: OrderSales | undefined, event: OrderConfirmedV1): SalesDecision {
  if (record?.sale) return { ignored: 'duplicate' };
  const { orderId, currency, amount } = event.data;
  const lines = event.data.lines.map(({ sku, quantity, unitPrice }) => ({ sku, quantity, unitPrice }));
  const sale = { day: utcDay(event.occurredAt), at: event.occurredAt, currency, amount, lines };
  const change: DayChange = {
    day: sale.day,
    currency,
    totals: { ...NO_FIGURES, orders: 1, units: sum(lines, (l) => l.quantity), revenue: sum(lines, (l) => l.quantity * l.unitPrice) },
    skus: lines.map((l) => ({ sku: l.sku, figures: { ...NO_FIGURES, orders: 1, units: l.quantity, revenue: l.quantity * l.unitPrice } })),
  };
  return { record: { orderId, ...record, revision: (record?.revision ?? 0) + 1, sale }, changes: [change] };
}

/** The refund of a PaymentRefunded, as reporting keeps it until it is counted. */
export function refundOf(event: PaymentRefundedV1): NonNullable<OrderSales['refund']> {
  const { amount, currency, refundReference } = event.data;
  return { day: utcDay(event.occurredAt), at: event.occurredAt, currency, amount, reference: refundReference, counted: false };
}

/**
 * A refund, counted on the UTC day it was made, against the sale it gives back (its units per SKU): only for
 * an order whose sale was counted. Without one it is kept uncounted (`not-paid`): its sale may still arrive.
 */
export function countRefund(record: OrderSales | undefined, orderId: string, refund: NonNullable<OrderSales['refund']>): SalesDecision {
  if (record?.refund?.counted) return { ignored: 'duplicate' };
  const revision = (record?.revision ?? 0) + 1;
  if (!record?.sale) {
    if (record?.refund) return { ignored: 'not-paid' };
    return { record: { orderId, ...record, revision, refund: { ...refund, counted: false } }, changes: [] };
  }
  const { lines } = record.sale;
  const kept = record.refund ?? refund;
  const change: DayChange = {
    day: kept.day,
    currency: kept.currency,
    totals: { ...NO_FIGURES, refunds: 1, refundedUnits: sum(lines, (l) => l.quantity), refundedAmount: kept.amount },
    skus: lines.map((l) => ({
      sku: l.sku,
      figures: { ...NO_FIGURES, refunds: 1, refundedUnits: l.quantity, refundedAmount: l.quantity * l.unitPrice },
    })),
  };
  return { record: { ...record, revision, refund: { ...kept, counted: true } }, changes: [change] };
}
