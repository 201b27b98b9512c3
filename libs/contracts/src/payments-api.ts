import { enum as oneOf, int, iso, minimum, object, optional, string, type infer as Infer } from 'zod/mini';
import { CurrencyCode, PaymentFailureReason } from './orders-api';
import './zod';

/**
 * PENDING while the checkout workflow runs; CAPTURED (money taken), FAILED
 * (declined, provider unavailable, or stopped by a cancel before the charge)
 * or REFUNDED (taken, then given back because the order was cancelled).
 */
export const PaymentStatus = oneOf(['PENDING', 'CAPTURED', 'FAILED', 'REFUNDED']);
export type PaymentStatus = Infer<typeof PaymentStatus>;

/** GET /payments/{orderId}: an order's payment as the payments service records it. */
export const Payment = object({
  orderId: string(),
  status: PaymentStatus,
  amount: int().check(minimum(0)),
  currency: CurrencyCode,
  /** The provider's id for the charge (its PaymentIntent id), from when the intent was created, before any money moved. */
  providerReference: optional(string()),
  /** The provider's id for the refund, when the payment was refunded. */
  refundReference: optional(string()),
  /** Calls made to the provider to charge this order (retries included). */
  attempts: int().check(minimum(0)),
  failureReason: optional(PaymentFailureReason),
  /** The provider's decline code or error message, when it gave one. */
  failureDetail: optional(string()),
  createdAt: iso.datetime(),
  updatedAt: iso.datetime(),
});
export type Payment = Infer<typeof Payment>;
