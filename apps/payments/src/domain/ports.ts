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
   * Records the order's PaymentIntent on its PENDING payment (as providerReference) and answers the payment as it
   * now stands, a cancel requested meanwhile included; undefined when it is not PENDING or holds another intent.
   */
  recordPaymentIntent(orderId: string, providerReference: string, at: string): Promise<Payment | undefined>;
  /**
   * Writes the settled payment and its event in one transaction, only if the stored status is still `from`
   * (and, with `notCancelled`, no cancel was requested); false when that no longer holds.
   */
  settle(settlement: Settlement, expected: { from: PaymentStatus; notCancelled?: boolean }): Promise<boolean>;
}

export type ProviderCharge = Extract<ChargeResult, { outcome: 'captured' | 'declined' }>;

/** Where a PaymentIntent stands: its money taken, given up for good, or neither (it could still be confirmed, or is processing). */
export type IntentStatus = 'succeeded' | 'canceled' | 'open';

/**
 * The payment provider, in two steps as Stripe's PaymentIntents work: an intent is created unconfirmed (no money
 * moves) and recorded, then confirmed (the charge). Every call that changes something carries one idempotency
 * key per order and operation, so calling it again (a retry at any level) never charges, cancels or refunds
 * twice. Failures are thrown: ProviderUnavailableError and ProviderTimeoutError (worth retrying),
 * ProviderRejectedError and ProviderNotConfiguredError (not).
 */
export interface PaymentProvider {
  /** Creates the order's PaymentIntent, unconfirmed; the same order always gets the same intent. */
  createIntent(request: { orderId: string; amount: number; currency: string }): Promise<{ providerReference: string }>;
  /** Confirms the intent with the payment method: the charge, captured or declined. */
  confirmIntent(request: { orderId: string; providerReference: string; paymentMethod: string }): Promise<ProviderCharge>;
  readIntent(request: { providerReference: string }): Promise<IntentStatus>;
  /** Cancels an intent that has taken no money; 'refused' when it is past cancelling (it succeeded, or was cancelled before). */
  cancelIntent(request: { orderId: string; providerReference: string }): Promise<'canceled' | 'refused'>;
  refund(request: { orderId: string; providerReference: string }): Promise<{ refundReference: string }>;
}

/** The checkout workflow: one execution per order, named by the order id. */
export interface CheckoutWorkflow {
  /** Starts the order's execution; 'already-started' when one by that name exists (it is never started twice). */
  start(input: CheckoutInput): Promise<'started' | 'already-started'>;
}
