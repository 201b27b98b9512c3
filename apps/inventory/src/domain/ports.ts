import type { InventoryEvent, PricedLine, Product, PutProductRequest, StockRejectionReason } from '@storefront/contracts';
import type { StockLevel } from './reservation';

type Line = { sku: string; quantity: number };

/** `product-changed`: a product's stock or price moved since it was read (nothing was written); read again and decide again. */
export type ReserveOutcome = 'reserved' | 'already-decided' | 'product-changed';
export type ReleaseOutcome = 'released' | 'nothing-held' | 'already-decided';
export type SellOutcome = 'sold' | 'nothing-held' | 'already-decided';
/** `released`: the refund found the units still held; `restocked`: it found them sold. */
export type RestockOutcome = 'restocked' | ReleaseOutcome;

/** What the inventory use cases need from storage; the DynamoDB adapter implements it. */
export interface InventoryRepository {
  putProduct(sku: string, product: PutProductRequest, at: string): Promise<Product>;
  getProduct(sku: string): Promise<Product | undefined>;
  listProducts(page: { limit: number; cursor?: string }): Promise<{ items: Product[]; nextCursor?: string }>;
  adjustStock(sku: string, delta: number, reason: string, at: string): Promise<Product>;
  /** The stock and price of each product that exists among `skus`, read consistently. */
  stockLevels(skus: string[]): Promise<StockLevel[]>;
  /**
   * Holds every line at its price and records the reservation (with the prices)
   * and its event, all or nothing; once per order. Only while each product
   * still has the units and the price and currency of the line.
   */
  reserve(orderId: string, lines: PricedLine[], event: InventoryEvent): Promise<ReserveOutcome>;
  /** Records that the order was refused and why, with its event; once per order. */
  reject(orderId: string, reasons: StockRejectionReason[], event: InventoryEvent): Promise<'rejected' | 'already-decided'>;
  /**
   * Gives back what the order holds, with the event the factory makes; once per
   * order, and only while it is held (a sold hold stays sold). With no
   * reservation yet, records that, so a late OrderPlaced reserves nothing.
   */
  release(orderId: string, makeEvent: (lines: Line[]) => InventoryEvent): Promise<ReleaseOutcome>;
  /**
   * Turns what the order holds into sold units (reserved → sold), once per
   * order, and only while it is held (a released hold stays released). `soldBy`
   * is the id of the event that paid for it.
   */
  sell(orderId: string, soldBy: string): Promise<SellOutcome>;
  /**
   * Puts back what a refunded order took, once, with the event the factory
   * makes: units it still holds are released as `release` does, units it
   * bought go from sold back to stock (`refundedBy` is the refund's event id).
   * A hold released before changes nothing; with no reservation yet, records
   * that, so a late OrderPlaced reserves nothing.
   */
  restock(orderId: string, refundedBy: string, makeEvent: (lines: Line[]) => InventoryEvent): Promise<RestockOutcome>;
}
