import type { Clock, OrderConfirmedV1, PaymentRefundedV1 } from '@storefront/contracts';
import { ConcurrentSalesUpdateError } from './errors';
import type { SalesRepository } from './ports';
import { countRefund, countSale, refundOf, type OrderSales, type SalesDecision } from './sales';

/**
 * What an event did: `counted` into its day's figures; `held` (a refund of an order whose sale has not been
 * counted: kept until it is); or nothing: a `duplicate`, or a refund of an order that was never paid.
 */
export type SalesOutcome = 'counted' | 'held' | 'duplicate' | 'not-paid';

const MAX_ATTEMPTS = 5;

/** Counts paid orders and their refunds into the day figures reports are built from, once per order. */
export class SalesService {
  constructor(private readonly deps: Clock & { repository: SalesRepository }) {}

  /**
   * A paid order's sale, on its day; a refund that arrived before it is counted right after (on a redelivery
   * too, should the first delivery have stopped in between).
   */
  async countConfirmedOrder(event: OrderConfirmedV1): Promise<SalesOutcome> {
    const { orderId } = event.data;
    // Nearly every paid order is heard of once and before any refund of it: its sale is written as the order's first
    // record without reading. A record already there (a redelivery, a refund that came first) fails that write's
    // condition, and the order is read and decided on as usual.
    const { outcome, record } = await this.decideAndSave(orderId, (stored) => countSale(stored, event), { firstRecord: true });
    if (record?.refund && !record.refund.counted)
      await this.decideAndSave(orderId, (stored) =>
        stored?.sale && stored.refund && !stored.refund.counted ? countRefund(stored, orderId, stored.refund) : { ignored: 'duplicate' },
      );
    return outcome;
  }

  async countRefund(event: PaymentRefundedV1): Promise<SalesOutcome> {
    const { orderId } = event.data;
    return (await this.decideAndSave(orderId, (record) => countRefund(record, orderId, refundOf(event)))).outcome;
  }

  /**
   * Decides on the stored record and saves the decision only if the record is still as read; decides again if not.
   * With `firstRecord`, the first decision is made without reading, as if the order had no record yet.
   * Answers what happened and the record as it now stands (saved, or as read when nothing was saved).
   */
  private async decideAndSave(
    orderId: string,
    decide: (record: OrderSales | undefined) => SalesDecision,
    { firstRecord = false }: { firstRecord?: boolean } = {},
  ): Promise<{ outcome: SalesOutcome; record?: OrderSales }> {
    for (let attempt = 1; ; attempt++) {
      const stored = firstRecord && attempt === 1 ? undefined : await this.deps.repository.findOrder(orderId);
      const decision = decide(stored);
      if ('ignored' in decision) return { outcome: decision.ignored, ...(stored ? { record: stored } : {}) };
      try {
        await this.deps.repository.saveOrder(decision.record, decision.changes, this.deps.now().toISOString());
        return { outcome: decision.changes.length ? 'counted' : 'held', record: decision.record };
      } catch (error) {
        // The unread first try is not one of the attempts a busy order gets.
        if (!(error instanceof ConcurrentSalesUpdateError) || attempt >= MAX_ATTEMPTS + (firstRecord ? 1 : 0)) throw error;
      }
    }
  }
}
