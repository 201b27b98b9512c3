import { discriminatedUnion, literal, minLength, object, optional, string, type infer as Infer } from 'zod/mini';
import { PaymentFailureReason } from './orders-api';
import { PaymentStatus } from './payments-api';
import './zod';

/**
 * The checkout workflow (the payments service's CheckoutStateMachine) and its
 * task functions exchange these documents. The state machine's definition
 * (apps/payments/serverless.yml) places each task's result in the execution's
 * document with ResultPath and hands each task only what its Parameters name,
 * so the definition and these schemas describe one chain:
 *
 *   execution input   CheckoutInput                          {orderId, correlationId}
 *   ChargePayment     CheckoutInput → ChargeResult           at $.charge
 *   (Catch)           the error as Step Functions reports it at $.chargeError, then
 *   ReconcileCharge   ReconcileInput → ReconcileResult       at $.charge
 *   RecordPaymentOutcome  RecordOutcomeInput → RecordedPayment  at $.payment
 */

const OrderId = string().check(minLength(1));

/**
 * What the payments service starts one execution with, named by the order id.
 * The payment record holds the amount, currency and payment method, so the
 * input names only the order, and a redelivered OrderReserved sends the same input.
 */
export const CheckoutInput = object({ orderId: OrderId, correlationId: string().check(minLength(1)) });
export type CheckoutInput = Infer<typeof CheckoutInput>;

/** The provider took the money: `providerReference` is its PaymentIntent id. */
const Captured = object({ outcome: literal('captured'), providerReference: string().check(minLength(1)) });
/** The provider refused the card: `declineCode` is its decline code (e.g. insufficient_funds). */
const Declined = object({ outcome: literal('declined'), declineCode: optional(string()), providerReference: optional(string()) });
/** The order was cancelled before its PaymentIntent was confirmed: the intent, if any, was cancelled and took no money. */
const Cancelled = object({ outcome: literal('cancelled') });
const chargeResults = [Captured, Declined, Cancelled] as const;

/** How charging ended, as chargePayment answers (a retryable failure is thrown instead, by name). */
export const ChargeResult = discriminatedUnion('outcome', [...chargeResults]);
export type ChargeResult = Infer<typeof ChargeResult>;

/**
 * Charging could not be completed (every attempt met an outage or a timeout, or
 * the provider refused the request itself) and no money was taken: the order's
 * PaymentIntent, if it had one, is cancelled. `error` is the name of the last
 * error of the charge (e.g. ProviderTimeoutError).
 */
export const ChargeUnavailable = object({ outcome: literal('unavailable'), error: string() });
export type ChargeUnavailable = Infer<typeof ChargeUnavailable>;

/**
 * reconcilePayment's input, on the Catch path of ChargePayment: the order and
 * the name of the error charging ended with. Charging may have failed after the
 * provider took the money (a confirm whose answer was lost), so the PaymentIntent
 * is read before anything is recorded.
 */
export const ReconcileInput = object({ orderId: OrderId, correlationId: string().check(minLength(1)), error: string() });
export type ReconcileInput = Infer<typeof ReconcileInput>;

/**
 * How the PaymentIntent stands once reconciled: captured (its money was taken after all), cancelled
 * (the order was cancelled meanwhile and the intent with it) or unavailable (the intent is cancelled,
 * or there never was one). A provider still unreachable is thrown, never answered.
 */
export const ReconcileResult = discriminatedUnion('outcome', [Captured, Cancelled, ChargeUnavailable]);
export type ReconcileResult = Infer<typeof ReconcileResult>;

/** recordPaymentOutcome's input: the order and how its charge ended, whichever path the workflow took. */
export const RecordOutcomeInput = object({
  orderId: OrderId,
  correlationId: string().check(minLength(1)),
  charge: discriminatedUnion('outcome', [...chargeResults, ChargeUnavailable]),
});
export type RecordOutcomeInput = Infer<typeof RecordOutcomeInput>;
export type ChargeOutcome = RecordOutcomeInput['charge'];

/** recordPaymentOutcome's result: the payment as it now stands. */
export const RecordedPayment = object({
  orderId: OrderId,
  status: PaymentStatus,
  failureReason: optional(PaymentFailureReason),
});
export type RecordedPayment = Infer<typeof RecordedPayment>;
