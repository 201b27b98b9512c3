import type { CheckoutInput, PaymentEvent, PaymentStatus } from '@storefront/contracts';
import type { Payment, Settlement } from '../../src/domain/payment';
import { ProviderRejectedError, ProviderUnavailableError } from '../../src/domain/errors';
import type {
  CheckoutWorkflow,
  IntentStatus,
  PaymentProvider,
  PaymentsRepository,
  ProviderCharge,
  StoredPayment,
} from '../../src/domain/ports';

/** The repository port with the table's conditions, in memory: each write checks what the DynamoDB adapter's condition checks. */
export class InMemoryPaymentsRepository implements PaymentsRepository {
  readonly stored = new Map<string, StoredPayment>();
  readonly events: PaymentEvent[] = [];

  async createPending(payment: Payment) {
    const existing = this.stored.get(payment.orderId);
    if (existing !== undefined) return { created: false as const, existing };
    this.stored.set(payment.orderId, { ...payment });
    return { created: true as const };
  }

  async find(orderId: string) {
    const stored = this.stored.get(orderId);
    return typeof stored === 'object' ? { ...stored } : stored;
  }

  async markWithdrawnBeforeReserved(orderId: string) {
    if (this.stored.has(orderId)) return false;
    this.stored.set(orderId, 'withdrawn-before-reserved');
    return true;
  }

  async requestCancel(orderId: string, at: string) {
    const payment = this.payment(orderId);
    if (payment?.status !== 'PENDING') return false;
    payment.cancelRequestedAt ??= at;
    return true;
  }

  async countChargeAttempt(orderId: string, at: string) {
    const payment = this.payment(orderId);
    if (payment?.status !== 'PENDING' || payment.cancelRequestedAt) return undefined;
    Object.assign(payment, { attempts: payment.attempts + 1, updatedAt: at });
    return { ...payment };
  }

  async recordPaymentIntent(orderId: string, providerReference: string, at: string) {
    const payment = this.payment(orderId);
    if (payment?.status !== 'PENDING' || (payment.providerReference && payment.providerReference !== providerReference)) return undefined;
    Object.assign(payment, { providerReference, updatedAt: at });
    return { ...payment };
  }

  async settle({ payment, event }: Settlement, expected: { from: PaymentStatus; notCancelled?: boolean }) {
    const current = this.payment(payment.orderId);
    if (current?.status !== expected.from || (expected.notCancelled && current.cancelRequestedAt)) return false;
    const { status, updatedAt, providerReference, refundReference, failureReason, failureDetail } = payment;
    Object.assign(
      current,
      JSON.parse(JSON.stringify({ status, updatedAt, providerReference, refundReference, failureReason, failureDetail })),
    );
    this.events.push(event);
    return true;
  }

  /** The payment as stored, for tests to arrange a state. */
  payment(orderId: string): Payment | undefined {
    const stored = this.stored.get(orderId);
    return typeof stored === 'object' ? stored : undefined;
  }
}

/** A PaymentIntent as the fake provider keeps it; `processing` reads as open but refuses a cancel. */
export interface FakeIntent {
  orderId: string;
  amount: number;
  currency: string;
  status: IntentStatus | 'processing';
}

/**
 * A provider with Stripe's PaymentIntents rules, in memory: one intent per order however often created, a
 * confirm answered as told and replayed for its key, no confirm of an intent that ended, no cancel of one
 * that succeeded. Failures are set per operation: a confirm that fails before or after taking the money, and
 * operations that are unreachable.
 */
export class FakeProvider implements PaymentProvider {
  /** Every call in order: its operation and its idempotency key (or, for a read, the intent). */
  readonly calls: string[] = [];
  readonly intents = new Map<string, FakeIntent>();
  readonly refunds: { idempotencyKey: string; providerReference: string }[] = [];
  private readonly confirmed = new Map<string, ProviderCharge>();
  /** How a confirm that gets through ends: captured unless told otherwise. */
  answer: (providerReference: string) => Promise<ProviderCharge> = async (providerReference) => ({
    outcome: 'captured',
    providerReference,
  });
  /** While set, every confirm throws this, having taken the money first (`afterCharging`) or not. */
  confirmFailure?: { error: Error; afterCharging: boolean };
  /** Operations that fail as if the provider could not be reached. */
  readonly unreachable = new Set<'create' | 'read' | 'cancel'>();
  /** Runs as a cancel arrives, before it is applied: a confirm landing first, say. */
  beforeCancel: (intent: FakeIntent) => void = () => undefined;

  async createIntent({ orderId, amount, currency }: Parameters<PaymentProvider['createIntent']>[0]) {
    this.calls.push(`create checkout-${orderId}`);
    this.failIfUnreachable('create');
    const providerReference = `pi_${orderId}`;
    if (!this.intents.has(providerReference)) this.intents.set(providerReference, { orderId, amount, currency, status: 'open' });
    return { providerReference };
  }

  async confirmIntent({ orderId, providerReference }: Parameters<PaymentProvider['confirmIntent']>[0]) {
    const idempotencyKey = `confirm-${orderId}`;
    this.calls.push(`confirm ${idempotencyKey}`);
    const intent = this.intent(providerReference);
    if (this.confirmFailure) {
      if (this.confirmFailure.afterCharging && intent.status === 'open') intent.status = 'succeeded';
      throw this.confirmFailure.error;
    }
    const replay = this.confirmed.get(idempotencyKey);
    if (replay) return replay;
    if (intent.status !== 'open') throw new ProviderRejectedError(400, 'invalid_request_error', `the PaymentIntent is ${intent.status}`);
    const answer = await this.answer(providerReference);
    if (answer.outcome === 'captured') intent.status = 'succeeded';
    this.confirmed.set(idempotencyKey, answer);
    return answer;
  }

  async readIntent({ providerReference }: Parameters<PaymentProvider['readIntent']>[0]): Promise<IntentStatus> {
    this.calls.push(`read ${providerReference}`);
    this.failIfUnreachable('read');
    const { status } = this.intent(providerReference);
    return status === 'processing' ? 'open' : status;
  }

  async cancelIntent({ orderId, providerReference }: Parameters<PaymentProvider['cancelIntent']>[0]) {
    this.calls.push(`cancel cancel-${orderId}`);
    this.failIfUnreachable('cancel');
    const intent = this.intent(providerReference);
    this.beforeCancel(intent);
    if (intent.status !== 'open') return 'refused' as const;
    intent.status = 'canceled';
    return 'canceled' as const;
  }

  async refund({ orderId, providerReference }: Parameters<PaymentProvider['refund']>[0]) {
    this.refunds.push({ idempotencyKey: `refund-${orderId}`, providerReference });
    return { refundReference: 're_1' };
  }

  /** The calls of one operation, e.g. `callsTo('confirm')`. */
  callsTo(operation: 'create' | 'confirm' | 'read' | 'cancel'): string[] {
    return this.calls.filter((call) => call.startsWith(`${operation} `));
  }

  /** The intent by its id, for a test to arrange how it stands. */
  intent(providerReference: string): FakeIntent {
    const intent = this.intents.get(providerReference);
    if (!intent) throw new ProviderRejectedError(404, 'invalid_request_error', `No such payment_intent: '${providerReference}'`);
    return intent;
  }

  private failIfUnreachable(operation: 'create' | 'read' | 'cancel') {
    if (this.unreachable.has(operation)) throw new ProviderUnavailableError(`${operation}: the provider answered 503`);
  }
}

/** Step Functions' naming rule in memory: one execution per name, a second start of the name refused. */
export class FakeWorkflow implements CheckoutWorkflow {
  readonly executions = new Map<string, CheckoutInput>();
  readonly starts: CheckoutInput[] = [];

  async start(input: CheckoutInput) {
    this.starts.push(input);
    if (this.executions.has(input.orderId)) return 'already-started' as const;
    this.executions.set(input.orderId, input);
    return 'started' as const;
  }
}
