import type {
  Clock,
  IdGenerator,
  OrderPlacedV1,
  PaymentCapturedV1,
  PaymentRefundedV1,
  Product,
  PutProductRequest,
} from '@storefront/contracts';
import { ProductNotFoundError } from './errors';
import type { InventoryRepository } from './ports';
import { pricedLines, rejectionReasons, stockRejected, stockReleased, stockReserved, type Withdrawal } from './reservation';

/** Stock or prices can change between reading them and holding; read and try again a few times before giving up. */
const MAX_DECISION_ATTEMPTS = 3;

/** The decisions worth a business count (a CloudWatch metric of that name); duplicates and no-ops are not. */
const COUNTED_OUTCOMES = new Map([
  ['reserved', 'StockReserved'],
  ['rejected', 'StockRejected'],
  ['released', 'StockReleased'],
  ['sold', 'StockSold'],
  ['restocked', 'StockRestocked'],
]);

/** The metric that counts a decision, if it is worth one. */
export const metricOf = (outcome: string): string | undefined => COUNTED_OUTCOMES.get(outcome);

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

  /**
   * Holds all lines of the order or none, at the prices of its products, and
   * says which it was, exactly once per order. The prices are read with the
   * stock and the hold is conditional on both, so the prices StockReserved
   * carries are the ones the reservation holds.
   */
  async onOrderPlaced(placed: OrderPlacedV1): Promise<'reserved' | 'rejected' | 'already-decided'> {
    const { orderId, lines } = placed.data;
    for (let attempt = 1; attempt <= MAX_DECISION_ATTEMPTS; attempt++) {
      const levels = await this.deps.repository.stockLevels(lines.map((l) => l.sku));
      const reasons = rejectionReasons(lines, levels);
      if (reasons.length > 0) return this.deps.repository.reject(orderId, reasons, stockRejected(placed, reasons, this.deps));
      const priced = pricedLines(lines, levels);
      const outcome = await this.deps.repository.reserve(orderId, priced, stockReserved(placed, priced, this.deps));
      if (outcome !== 'product-changed') return outcome;
    }
    throw new Error(`Order ${orderId}: stock or prices kept changing while deciding; the message will be retried`);
  }

  /**
   * The order will never be fulfilled (the customer cancelled it, orders
   * rejected it, or its payment failed): gives back exactly what it held,
   * once; if this arrives before its OrderPlaced, the late order reserves
   * nothing. A hold already sold stays sold.
   */
  onOrderWithdrawn(withdrawn: Withdrawal) {
    return this.deps.repository.release(withdrawn.data.orderId, (lines) => stockReleased(withdrawn, lines, this.deps));
  }

  /**
   * The order is paid: what it holds is sold (reserved → sold), once. A hold
   * already released (the order was cancelled first) stays released: payments
   * refunds such an order.
   */
  onPaymentCaptured(captured: PaymentCapturedV1) {
    return this.deps.repository.sell(captured.data.orderId, captured.id);
  }

  /**
   * The order's money went back (it was cancelled or rejected after payments
   * took it): whatever it took goes back to stock, once, with StockReleased,
   * whichever of its capture, cancel and refund arrives first. Sold units
   * return to stock (`restocked`); units still held are released as a cancel
   * releases them (`released`), so the capture that follows sells nothing.
   */
  onPaymentRefunded(refunded: PaymentRefundedV1) {
    return this.deps.repository.restock(refunded.data.orderId, refunded.id, (lines) => stockReleased(refunded, lines, this.deps));
  }
}
