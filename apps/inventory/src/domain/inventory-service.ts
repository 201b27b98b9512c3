import type { OrderCancelledV1, OrderPlacedV1, OrderRejectedV1, Product, PutProductRequest } from '@storefront/contracts';
import { ProductNotFoundError } from './errors';
import type { InventoryRepository } from './ports';
import { rejectionReasons, stockRejected, stockReleased, stockReserved, type Clock, type IdGenerator } from './reservation';

/** Stock can change between a failed reservation and reading why; try again a few times before deciding. */
const MAX_DECISION_ATTEMPTS = 3;

export interface InventoryServiceDeps extends Clock, IdGenerator {
  repository: InventoryRepository;
}

/** The inventory use cases: the catalog and its stock, and each order's reservation decided once. */
export class InventoryService {
  constructor(private readonly deps: InventoryServiceDeps) {}

  putProduct(sku: string, request: PutProductRequest): Promise<Product> {
    return this.deps.repository.putProduct(sku, request, this.deps.now().toISOString());
  }

  async getProduct(sku: string): Promise<Product> {
    const product = await this.deps.repository.getProduct(sku);
    if (!product) throw new ProductNotFoundError(sku);
    return product;
  }

  listProducts(page: { limit: number; cursor?: string }) {
    return this.deps.repository.listProducts(page);
  }

  adjustStock(sku: string, delta: number, reason: string): Promise<Product> {
    return this.deps.repository.adjustStock(sku, delta, reason, this.deps.now().toISOString());
  }

  /** Holds all lines of the order or none, and says which it was, exactly once per order. */
  async onOrderPlaced(placed: OrderPlacedV1): Promise<'reserved' | 'rejected' | 'already-decided'> {
    const { orderId, lines } = placed.data;
    for (let attempt = 1; attempt <= MAX_DECISION_ATTEMPTS; attempt++) {
      const outcome = await this.deps.repository.reserve(orderId, lines, stockReserved(placed, this.deps));
      if (outcome !== 'insufficient-stock') return outcome;
      const reasons = rejectionReasons(lines, await this.deps.repository.stockLevels(lines.map((l) => l.sku)));
      if (reasons.length > 0) return this.deps.repository.reject(orderId, reasons, stockRejected(placed, reasons, this.deps));
    }
    throw new Error(`Order ${orderId}: stock kept changing while deciding; the message will be retried`);
  }

  /**
   * The order will never be fulfilled (the customer cancelled it, or orders
   * rejected it after waiting too long): gives back exactly what it held,
   * once; if this arrives before its OrderPlaced, the late order reserves nothing.
   */
  onOrderWithdrawn(withdrawn: OrderCancelledV1 | OrderRejectedV1) {
    return this.deps.repository.release(withdrawn.data.orderId, (lines) => stockReleased(withdrawn, lines, this.deps));
  }
}
