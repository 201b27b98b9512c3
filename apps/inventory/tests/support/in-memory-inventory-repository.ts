import type { InventoryEvent, PricedLine, Product, PutProductRequest, StockRejectionReason } from '@storefront/contracts';
import { ProductNotFoundError, StockWouldGoNegativeError } from '../../src/domain/errors';
import type { InventoryRepository, ReleaseOutcome, ReserveOutcome, RestockOutcome, SellOutcome } from '../../src/domain/ports';
import type { StockLevel } from '../../src/domain/reservation';

type Line = { sku: string; quantity: number };
type Reservation =
  | { status: 'RESERVED' | 'RELEASED' | 'SOLD' | 'RESTOCKED'; lines: PricedLine[] }
  | { status: 'REJECTED'; reasons: StockRejectionReason[] }
  | { status: 'CANCELLED_BEFORE_DECISION' };

/**
 * A repository with the same promises as the DynamoDB one, for use-case tests:
 * each write applies whole or not at all, under the same conditions.
 */
export class InMemoryInventoryRepository implements InventoryRepository {
  readonly products = new Map<string, Product>();
  readonly reservations = new Map<string, Reservation>();
  readonly events: InventoryEvent[] = [];

  async putProduct(sku: string, product: PutProductRequest, at: string): Promise<Product> {
    const kept = this.products.get(sku);
    const saved = { sku, ...product, reserved: kept?.reserved ?? 0, sold: kept?.sold ?? 0, updatedAt: at };
    this.products.set(sku, saved);
    return { ...saved };
  }

  async getProduct(sku: string) {
    const product = this.products.get(sku);
    return product && { ...product };
  }

  async listProducts(page: { limit: number }) {
    return { items: [...this.products.values()].sort((a, b) => a.sku.localeCompare(b.sku)).slice(0, page.limit) };
  }

  async adjustStock(sku: string, delta: number, _reason: string, at: string): Promise<Product> {
    const product = this.products.get(sku);
    if (!product) throw new ProductNotFoundError(sku);
    if (product.stock + delta < 0) throw new StockWouldGoNegativeError(sku, product.stock, delta);
    Object.assign(product, { stock: product.stock + delta, updatedAt: at });
    return { ...product };
  }

  async stockLevels(skus: string[]): Promise<StockLevel[]> {
    return skus.flatMap((sku) => {
      const product = this.products.get(sku);
      return product ? [{ sku, stock: product.stock, price: product.price, currency: product.currency }] : [];
    });
  }

  async reserve(orderId: string, lines: PricedLine[], event: InventoryEvent): Promise<ReserveOutcome> {
    if (this.reservations.has(orderId)) return 'already-decided';
    const holdable = lines.every((line) => {
      const product = this.products.get(line.sku);
      return product && product.stock >= line.quantity && product.price === line.unitPrice && product.currency === line.currency;
    });
    if (!holdable) return 'product-changed';
    for (const line of lines) this.move(line, { stock: -1, reserved: +1 });
    this.reservations.set(orderId, { status: 'RESERVED', lines });
    this.events.push(event);
    return 'reserved';
  }

  async reject(orderId: string, reasons: StockRejectionReason[], event: InventoryEvent) {
    if (this.reservations.has(orderId)) return 'already-decided' as const;
    this.reservations.set(orderId, { status: 'REJECTED', reasons });
    this.events.push(event);
    return 'rejected' as const;
  }

  async release(orderId: string, makeEvent: (lines: Line[]) => InventoryEvent): Promise<ReleaseOutcome> {
    const reservation = this.reservations.get(orderId);
    if (!reservation) {
      this.reservations.set(orderId, { status: 'CANCELLED_BEFORE_DECISION' });
      return 'nothing-held';
    }
    if (reservation.status !== 'RESERVED') return 'already-decided';
    const event = makeEvent(reservation.lines);
    for (const line of reservation.lines) this.move(line, { stock: +1, reserved: -1 });
    this.reservations.set(orderId, { ...reservation, status: 'RELEASED' });
    this.events.push(event);
    return 'released';
  }

  async sell(orderId: string): Promise<SellOutcome> {
    const reservation = this.reservations.get(orderId);
    if (!reservation) return 'nothing-held';
    if (reservation.status !== 'RESERVED') return 'already-decided';
    for (const line of reservation.lines) this.move(line, { reserved: -1, sold: +1 });
    this.reservations.set(orderId, { ...reservation, status: 'SOLD' });
    return 'sold';
  }

  async restock(orderId: string, _refundedBy: string, makeEvent: (lines: Line[]) => InventoryEvent): Promise<RestockOutcome> {
    const reservation = this.reservations.get(orderId);
    if (reservation?.status !== 'SOLD') return this.release(orderId, makeEvent);
    const event = makeEvent(reservation.lines);
    for (const line of reservation.lines) this.move(line, { sold: -1, stock: +1 });
    this.reservations.set(orderId, { ...reservation, status: 'RESTOCKED' });
    this.events.push(event);
    return 'restocked';
  }

  /** Moves a line's units between a product's counts: each count changes by its sign × the quantity. */
  private move(line: Line, signs: Partial<Record<'stock' | 'reserved' | 'sold', 1 | -1>>) {
    const product = this.products.get(line.sku) as Product;
    for (const [count, sign] of Object.entries(signs) as ['stock' | 'reserved' | 'sold', number][]) product[count] += sign * line.quantity;
  }
}
