import type { OrderConfirmedV1, PaymentRefundedV1 } from '@storefront/contracts';
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
  constructor(private readonly deps: { repository: SalesRepository; now: () => Date }) {}

  /** A paid order's sale, on its day; a refund that arrived before it is counted right after. */
  async countConfirmedOrder(event: OrderConfirmedV1): Promise<SalesOutcome> {
    const { orderId } = event.data;
    const outcome = await this.decideAndSave(orderId, (record) => countSale(record, event));
    await this.decideAndSave(orderId, (record) =>
      record?.sale && record.refund && !record.refund.counted ? countRefund(record, orderId, record.refund) : { ignored: 'duplicate' },
    );
    return outcome;
  }

  countRefund(event: PaymentRefundedV1): Promise<SalesOutcome> {
    const { orderId } = event.data;
    return this.decideAndSave(orderId, (record) => countRefund(record, orderId, refundOf(event)));
  }

  /** Decides on the stored record and saves the decision only if the record is still as read; decides again if not. */
  private async decideAndSave(orderId: string, decide: (record: OrderSales | undefined) => SalesDecision): Promise<SalesOutcome> {
    for (let attempt = 1; ; attempt++) {
      const decision = decide(await this.deps.repository.findOrder(orderId));
      if ('ignored' in decision) return decision.ignored;
      try {
        await this.deps.repository.saveOrder(decision.record, decision.changes, this.deps.now().toISOString());
        return decision.changes.length ? 'counted' : 'held';
      } catch (error) {
        if (!(error instanceof ConcurrentSalesUpdateError) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }
}
