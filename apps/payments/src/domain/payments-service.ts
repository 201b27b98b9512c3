import type {
  ChargeOutcome,
  ChargeResult,
  CheckoutInput,
  OrderCancelledV1,
  OrderRejectedV1,
  OrderReservedV1,
  Payment as PaymentView,
  PaymentEvent,
  RecordedPayment,
  RecordOutcomeInput,
} from '@storefront/contracts';
import { PaymentNotFoundError, PaymentNotPendingError } from './errors';
import {
  capture,
  fail,
  paymentView,
  pendingPayment,
  recordedPayment,
  refund,
  type Clock,
  type IdGenerator,
  type Payment,
  type Settlement,
} from './payment';
import type { CheckoutWorkflow, PaymentProvider, PaymentsRepository } from './ports';

export interface PaymentsServiceDeps extends Clock, IdGenerator {
  repository: PaymentsRepository;
  provider: PaymentProvider;
  workflow: CheckoutWorkflow;
}

export type ReservedOutcome = Awaited<ReturnType<CheckoutWorkflow['start']>> | 'already-settled' | 'withdrawn-before-reserved';
export type WithdrawnOutcome = 'marked-before-reserved' | 'already-withdrawn' | 'cancel-requested' | 'refunded' | 'nothing-to-undo';
export interface OutcomeRecorded {
  payment: RecordedPayment;
  /** The event written with the change; none when the payment had been settled before (a repeated task). */
  event?: PaymentEvent['type'];
}

/** A conditional write loses only to another writer of the same payment; after that many re-reads something is wrong. */
const MAX_DECISIONS = 5;

/**
 * The payments use cases: an order's payment recorded once and its checkout
 * workflow started once; the workflow's two tasks (charge, record the
 * outcome); and a cancelled order's payment stopped or refunded. Every change
 * is a conditional write on the payment, so whichever of the workflow and a
 * cancel writes first, the other reads it and decides again.
 */
export class PaymentsService {
  constructor(private readonly deps: PaymentsServiceDeps) {}

  async get(orderId: string): Promise<PaymentView> {
    const stored = await this.deps.repository.find(orderId);
    if (stored === undefined || stored === 'withdrawn-before-reserved') throw new PaymentNotFoundError(orderId);
    return paymentView(stored);
  }

  /**
   * Records the payment PENDING and starts the order's one checkout execution.
   * A redelivered OrderReserved finds the payment and starts it again, which
   * the workflow refuses by name: no second execution, so no second charge.
   */
  async onOrderReserved(reserved: OrderReservedV1): Promise<ReservedOutcome> {
    const stored = await this.deps.repository.createPending(pendingPayment(reserved, this.deps.now()));
    if (!stored.created) {
      if (stored.existing === 'withdrawn-before-reserved') return 'withdrawn-before-reserved';
      if (stored.existing.status !== 'PENDING') return 'already-settled';
      // Still PENDING: the earlier delivery may have stopped before the start, so start (again).
    }
    return this.deps.workflow.start({ orderId: reserved.data.orderId, correlationId: reserved.correlationId });
  }

  /**
   * The order will not be paid for (the customer cancelled it, or orders
   * rejected it). A PENDING payment is asked to stop: the workflow then charges
   * nothing, or refunds what it took. A CAPTURED one is refunded. Before the
   * order was reserved, a marker makes its OrderReserved start nothing.
   */
  async onOrderWithdrawn(withdrawn: OrderCancelledV1 | OrderRejectedV1): Promise<WithdrawnOutcome> {
    const { orderId } = withdrawn.data;
    const at = this.deps.now().toISOString();
    for (let decision = 1; decision <= MAX_DECISIONS; decision++) {
      const stored = await this.deps.repository.find(orderId);
      if (stored === undefined) {
        if (await this.deps.repository.markWithdrawnBeforeReserved(orderId, at)) return 'marked-before-reserved';
      } else if (stored === 'withdrawn-before-reserved') {
        return 'already-withdrawn';
      } else if (stored.status === 'PENDING') {
        if (await this.deps.repository.requestCancel(orderId, at)) return 'cancel-requested';
      } else if (stored.status === 'CAPTURED') {
        if (await this.refund(stored, referenceOf(stored), withdrawn.correlationId)) return 'refunded';
      } else {
        return 'nothing-to-undo';
      }
    }
    throw new Error(`The payment of order ${orderId} kept changing while a cancel was applied; the message will be retried`);
  }

  /**
   * The chargePayment task: counts the attempt on the payment, then charges
   * through the provider. A payment asked to stop is not charged ('cancelled').
   * Provider failures are thrown by name for the workflow's Retry and Catch.
   */
  async charge({ orderId }: CheckoutInput): Promise<ChargeResult> {
    const payment = await this.deps.repository.countChargeAttempt(orderId, this.deps.now().toISOString());
    if (!payment) return this.unchargeable(orderId);
    const { amount, currency, paymentMethod } = payment;
    return this.deps.provider.charge({ orderId, amount, currency, paymentMethod });
  }

  /**
   * The recordPaymentOutcome task: settles the PENDING payment as the charge
   * ended, with its event in the same write. Money taken for an order that was
   * cancelled meanwhile is refunded. Running it again changes nothing.
   */
  async recordOutcome({ orderId, correlationId, charge }: RecordOutcomeInput): Promise<OutcomeRecorded> {
    for (let decision = 1; decision <= MAX_DECISIONS; decision++) {
      const stored = await this.deps.repository.find(orderId);
      if (stored === undefined || stored === 'withdrawn-before-reserved') throw new PaymentNotFoundError(orderId);
      if (stored.status !== 'PENDING') return { payment: recordedPayment(stored) };
      const settled =
        charge.outcome === 'captured' && stored.cancelRequestedAt
          ? await this.refund(stored, charge.providerReference, correlationId)
          : await this.settleAs(stored, charge, correlationId);
      if (settled) return { payment: recordedPayment(settled.payment), event: settled.event.type };
    }
    throw new Error(`The payment of order ${orderId} kept changing while its outcome was recorded`);
  }

  private async unchargeable(orderId: string): Promise<ChargeResult> {
    const stored = await this.deps.repository.find(orderId);
    if (stored === undefined || stored === 'withdrawn-before-reserved') throw new PaymentNotFoundError(orderId);
    if (stored.status === 'PENDING' && stored.cancelRequestedAt) return { outcome: 'cancelled' };
    throw new PaymentNotPendingError(orderId, stored.status);
  }

  /** Writes the outcome of the charge; undefined when the payment changed meanwhile (a cancel came in). */
  private async settleAs(payment: Payment, charge: ChargeOutcome, correlationId: string): Promise<Settlement | undefined> {
    const context = { ...this.deps, correlationId };
    const settlement =
      charge.outcome === 'captured'
        ? capture(payment, charge.providerReference, context)
        : charge.outcome === 'declined'
          ? fail(payment, { reason: 'DECLINED', detail: charge.declineCode, providerReference: charge.providerReference }, context)
          : charge.outcome === 'cancelled'
            ? fail(payment, { reason: 'CANCELLED' }, context)
            : fail(payment, { reason: 'PROVIDER_UNAVAILABLE', detail: charge.error }, context);
    // A capture must not overtake a cancel: it is written only while none was requested.
    const written = await this.deps.repository.settle(settlement, { from: 'PENDING', notCancelled: charge.outcome === 'captured' });
    return written ? settlement : undefined;
  }

  /**
   * Gives the money back (the provider refunds once per order, however often
   * asked) and records REFUNDED with its event; undefined when the payment was
   * settled otherwise meanwhile (the other path refunded it first).
   */
  private async refund(payment: Payment, providerReference: string, correlationId: string): Promise<Settlement | undefined> {
    const { refundReference } = await this.deps.provider.refund({ orderId: payment.orderId, providerReference });
    const settlement = refund(payment, { providerReference, refundReference }, { ...this.deps, correlationId });
    return (await this.deps.repository.settle(settlement, { from: payment.status })) ? settlement : undefined;
  }
}

function referenceOf(payment: Payment): string {
  if (!payment.providerReference) throw new Error(`The captured payment of order ${payment.orderId} has no provider reference`);
  return payment.providerReference;
}
