import type { InventoryEvent, Product, PutProductRequest, StockRejectionReason } from '@storefront/contracts';
import type { StockLevel } from './reservation';

type Line = { sku: string; quantity: number };

export type ReserveOutcome = 'reserved' | 'already-decided' | 'insufficient-stock';
export type ReleaseOutcome = 'released' | 'nothing-held' | 'already-decided';

/** What the inventory use cases need from storage; the DynamoDB adapter implements it. */
export interface InventoryRepository {
  putProduct(sku: string, product: PutProductRequest, at: string): Promise<Product>;
  getProduct(sku: string): Promise<Product | undefined>;
  listProducts(page: { limit: number; cursor?: string }): Promise<{ items: Product[]; nextCursor?: string }>;
  adjustStock(sku: string, delta: number, reason: string, at: string): Promise<Product>;
  stockLevels(skus: string[]): Promise<StockLevel[]>;
  /** Holds every line and records the reservation and its event, all or nothing; once per order. */
  reserve(orderId: string, lines: Line[], event: InventoryEvent): Promise<ReserveOutcome>;
  /** Records that the order was refused and why, with its event; once per order. */
  reject(orderId: string, reasons: StockRejectionReason[], event: InventoryEvent): Promise<'rejected' | 'already-decided'>;
  /** Gives back what the order held, with the event the factory makes; once per order. */
  release(orderId: string, makeEvent: (lines: Line[]) => InventoryEvent): Promise<ReleaseOutcome>;
}
