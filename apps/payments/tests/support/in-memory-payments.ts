import type { CheckoutInput, PaymentEvent, PaymentStatus } from '@storefront/contracts';
import type { Payment, Settlement } from '../../src/domain/payment';
import type { CheckoutWorkflow, PaymentProvider, PaymentsRepository, ProviderCharge, StoredPayment } from '../../src/domain/ports';

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

/** A provider that answers a charge as told, and, like Stripe, replays the first answer for a key it has seen. */
export class FakeProvider implements PaymentProvider {
  readonly charges: { idempotencyKey: string; amount: number; currency: string; paymentMethod: string }[] = [];
  readonly refunds: { idempotencyKey: string; providerReference: string }[] = [];
  private readonly answered = new Map<string, ProviderCharge>();
  answer: () => Promise<ProviderCharge> = async () => ({ outcome: 'captured', providerReference: 'pi_1' });

  async charge({ orderId, amount, currency, paymentMethod }: Parameters<PaymentProvider['charge']>[0]) {
    const idempotencyKey = `checkout-${orderId}`;
    this.charges.push({ idempotencyKey, amount, currency, paymentMethod });
    const replay = this.answered.get(idempotencyKey);
    if (replay) return replay;
    const answer = await this.answer();
    this.answered.set(idempotencyKey, answer);
    return answer;
  }

  async refund({ orderId, providerReference }: Parameters<PaymentProvider['refund']>[0]) {
    this.refunds.push({ idempotencyKey: `refund-${orderId}`, providerReference });
    return { refundReference: 're_1' };
  }

  /** Distinct charges the provider made: one per idempotency key, however often it was asked. */
  chargedKeys(): string[] {
    return [...this.answered.keys()];
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
