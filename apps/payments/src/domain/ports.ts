import type { ChargeResult, CheckoutInput, PaymentStatus } from '@storefront/contracts';
import type { Payment, Settlement } from './payment';

/** What is stored for an order: its payment, or the marker a cancel left before the order was reserved. */
export type StoredPayment = Payment | 'withdrawn-before-reserved';

/** What the payments use cases need from storage; the DynamoDB adapter implements it. */
export interface PaymentsRepository {
  /** Stores a new PENDING payment unless the order has a payment or a marker already; answers what was there. */
  createPending(payment: Payment): Promise<{ created: true } | { created: false; existing: StoredPayment }>;
  /** A strongly consistent read. */
  find(orderId: string): Promise<StoredPayment | undefined>;
  /** Leaves the marker for an order with no payment yet, so its OrderReserved starts nothing; false if anything is stored. */
  markWithdrawnBeforeReserved(orderId: string, at: string): Promise<boolean>;
  /** Asks a PENDING payment to stop (sets cancelRequestedAt); false if it is no longer PENDING. */
  requestCancel(orderId: string, at: string): Promise<boolean>;
  /**
   * Counts one charge attempt on a payment that is PENDING and not asked to stop, and answers it as counted;
   * undefined when it is not in that state (nothing is counted then).
   */
  countChargeAttempt(orderId: string, at: string): Promise<Payment | undefined>;
  /**
   * Writes the settled payment and its event in one transaction, only if the stored status is still `from`
   * (and, with `notCancelled`, no cancel was requested); false when that no longer holds.
   */
  settle(settlement: Settlement, expected: { from: PaymentStatus; notCancelled?: boolean }): Promise<boolean>;
}

export type ProviderCharge = Extract<ChargeResult, { outcome: 'captured' | 'declined' }>;

/**
 * The payment provider. It sees one idempotency key per order for the charge and one for the refund, so
 * calling either again (a retry at any level) never charges or refunds twice. Failures are thrown:
 * ProviderUnavailableError and ProviderTimeoutError (worth retrying), ProviderRejectedError and
 * ProviderNotConfiguredError (not).
 */
export interface PaymentProvider {
  charge(request: { orderId: string; amount: number; currency: string; paymentMethod: string }): Promise<ProviderCharge>;
  refund(request: { orderId: string; providerReference: string }): Promise<{ refundReference: string }>;
}

/** The checkout workflow: one execution per order, named by the order id. */
export interface CheckoutWorkflow {
  /** Starts the order's execution; 'already-started' when one by that name exists (it is never started twice). */
  start(input: CheckoutInput): Promise<'started' | 'already-started'>;
}
