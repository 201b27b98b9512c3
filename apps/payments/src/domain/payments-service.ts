import {
  type Caller,
  type Clock,
  type IdGenerator,
  mayActFor,
  type ChargeOutcome,
  type ChargeResult,
  type CheckoutInput,
  type OrderCancelledV1,
  type OrderRejectedV1,
  type OrderReservedV1,
  type Payment as PaymentView,
  type PaymentEvent,
  type RecordedPayment,
  type ReconcileInput,
  type ReconcileResult,
  type RecordOutcomeInput,
} from '@storefront/contracts';
import { PaymentNotFoundError, PaymentNotPendingError, ProviderUnavailableError } from './errors';
import { capture, fail, paymentView, pendingPayment, recordedPayment, refund, type Payment, type Settlement } from './payment';
import type { CheckoutWorkflow, PaymentProvider, PaymentsRepository } from './ports';

/** A payment that has its PaymentIntent: the provider's id for it is recorded. */
type WithIntent = Payment & { providerReference: string };

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

  /** An order's payment as its customer (or an admin) sees it; to anyone else it does not exist, like an unknown order. */
  async get(caller: Caller, orderId: string): Promise<PaymentView> {
    const stored = await this.deps.repository.find(orderId);
    if (stored === undefined || stored === 'withdrawn-before-reserved' || !mayActFor(caller, stored.customerId))
      throw new PaymentNotFoundError(orderId);
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
   * The chargePayment task, in Stripe's two steps: counts the attempt, creates
   * the order's PaymentIntent unconfirmed (no money moves) and records its id on
   * the payment, then confirms it (the charge). Both calls are idempotent per
   * order, so a retry after a lost answer gets the same intent and one charge.
   * A payment asked to stop is not confirmed: its intent is cancelled instead
   * ('cancelled'), or, if the money was taken meanwhile, answered 'captured' so
   * the recording refunds it. Provider failures are thrown by name for the
   * workflow's Retry and Catch.
   */
  async charge({ orderId }: CheckoutInput): Promise<ChargeResult> {
    const counted = await this.deps.repository.countChargeAttempt(orderId, this.deps.now().toISOString());
    if (!counted) return this.unchargeable(orderId);
    const payment = hasIntent(counted) ? counted : await this.createIntent(counted);
    if (payment.cancelRequestedAt) return this.stop(payment);
    const { providerReference, paymentMethod } = payment;
    return this.deps.provider.confirmIntent({ orderId, providerReference, paymentMethod });
  }

  /**
   * The reconcilePayment task, when charging failed for good: the provider may
   * have taken the money behind a lost answer, so nothing is recorded before
   * the PaymentIntent is read. Succeeded: 'captured'. Otherwise it is cancelled,
   * so no late confirm can charge, and the charge is 'unavailable' (or
   * 'cancelled' for an order cancelled meanwhile). A provider that cannot be
   * reached is thrown for the workflow to retry; if it stays so, the execution
   * fails and the payment stays PENDING, never FAILED with money possibly taken.
   */
  async reconcile({ orderId, error }: ReconcileInput): Promise<ReconcileResult> {
    const stored = await this.deps.repository.find(orderId);
    if (stored === undefined || stored === 'withdrawn-before-reserved') throw new PaymentNotFoundError(orderId);
    const unavailable: ReconcileResult = { outcome: 'unavailable', error };
    // Settled by an earlier run: recording answers it as it stands.
    if (stored.status !== 'PENDING') return unavailable;
    const ended: ReconcileResult = stored.cancelRequestedAt ? { outcome: 'cancelled' } : unavailable;
    // No PaymentIntent recorded: none was ever confirmed (the confirm comes only after the id is recorded).
    if (!hasIntent(stored)) return ended;
    return (await this.endIntent(stored)) === 'succeeded' ? { outcome: 'captured', providerReference: stored.providerReference } : ended;
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
    if (stored.status === 'PENDING' && stored.cancelRequestedAt) return hasIntent(stored) ? this.stop(stored) : { outcome: 'cancelled' };
    throw new PaymentNotPendingError(orderId, stored.status);
  }

  /** Creates the order's PaymentIntent and records it on the payment before anything can confirm it. */
  private async createIntent(payment: Payment): Promise<WithIntent> {
    const { orderId, amount, currency } = payment;
    const { providerReference } = await this.deps.provider.createIntent({ orderId, amount, currency });
    const recorded = await this.deps.repository.recordPaymentIntent(orderId, providerReference, this.deps.now().toISOString());
    if (recorded && hasIntent(recorded)) return recorded;
    const stored = await this.deps.repository.find(orderId);
    if (typeof stored === 'object' && stored.status !== 'PENDING') throw new PaymentNotPendingError(orderId, stored.status);
    throw new Error(`PaymentIntent ${providerReference} could not be recorded on the payment of order ${orderId}`);
  }

  /** A payment asked to stop, whose intent exists: cancelled, unless its money was taken already (then refunded when recorded). */
  private async stop(payment: WithIntent): Promise<ChargeResult> {
    const ended = await this.endIntent(payment);
    return ended === 'succeeded' ? { outcome: 'captured', providerReference: payment.providerReference } : { outcome: 'cancelled' };
  }

  /**
   * Brings the payment's PaymentIntent to an end: succeeded if it took the
   * money, else cancelled so it never can. Stripe refuses to cancel an intent
   * that succeeded (a confirm got through meanwhile), so a refusal is read again.
   */
  private async endIntent({ orderId, providerReference }: WithIntent): Promise<'succeeded' | 'canceled'> {
    const { provider } = this.deps;
    const status = await provider.readIntent({ providerReference });
    if (status !== 'open') return status;
    if ((await provider.cancelIntent({ orderId, providerReference })) === 'canceled') return 'canceled';
    const after = await provider.readIntent({ providerReference });
    if (after !== 'open') return after;
    throw new ProviderUnavailableError(
      `PaymentIntent ${providerReference} of order ${orderId} refused to be cancelled but has not ended (processing?): try again`,
    );
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

function hasIntent(payment: Payment): payment is WithIntent {
  return typeof payment.providerReference === 'string' && payment.providerReference !== '';
}

function referenceOf(payment: Payment): string {
  if (!payment.providerReference) throw new Error(`The captured payment of order ${payment.orderId} has no provider reference`);
  return payment.providerReference;
}
