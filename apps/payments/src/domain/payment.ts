import {
  eventMetadata,
  newEvent,
  type EventContext,
  type OrderReservedV1,
  type Payment as PaymentView,
  type PaymentEvent,
  type PaymentFailureReason,
  type RecordedPayment,
} from '@storefront/contracts';

/**
 * An order's payment as the service keeps it: what GET /payments/{orderId}
 * shows, and what charging needs but the API does not show.
 */
export interface Payment extends PaymentView {
  customerId: string;
  paymentMethod: string;
  /** Set when the order was cancelled (or rejected) while its payment was PENDING: no charge, or a refund. */
  cancelRequestedAt?: string;
}

export const SOURCE = 'storefront.payments';

/** The payment an OrderReserved asks for: PENDING, nothing tried yet. */
export function pendingPayment(reserved: OrderReservedV1, at: Date): Payment {
  const { orderId, customerId, amount, currency, paymentMethod } = reserved.data;
  const time = at.toISOString();
  return { orderId, customerId, status: 'PENDING', amount, currency, paymentMethod, attempts: 0, createdAt: time, updatedAt: time };
}

/** The payment as the API shows it: no customer or payment method (the order has them), no internal markers. */
export function paymentView(payment: Payment): PaymentView {
  const { customerId: _customer, paymentMethod: _method, cancelRequestedAt: _cancel, ...view } = payment;
  return view;
}

export function recordedPayment({ orderId, status, failureReason }: Payment): RecordedPayment {
  return { orderId, status, ...(failureReason ? { failureReason } : {}) };
}

/** A payment's move to its final status, with the event that tells the other services, written together. */
export interface Settlement {
  payment: Payment;
  event: PaymentEvent;
}

const metadata = (context: EventContext) => eventMetadata(SOURCE, context, context.correlationId);

export function capture(payment: Payment, providerReference: string, context: EventContext): Settlement {
  const { orderId, amount, currency } = payment;
  return {
    payment: { ...payment, status: 'CAPTURED', providerReference, updatedAt: context.now().toISOString() },
    event: newEvent('PaymentCaptured', { orderId, amount, currency, providerReference }, metadata(context)),
  };
}

export function fail(
  payment: Payment,
  failure: { reason: PaymentFailureReason; detail?: string; providerReference?: string },
  context: EventContext,
): Settlement {
  const { orderId, amount, currency } = payment;
  const { reason, detail } = failure;
  // The PaymentIntent the payment was given, if the failure names none: the event then says which intent ended.
  const providerReference = failure.providerReference ?? payment.providerReference;
  return {
    payment: {
      ...payment,
      status: 'FAILED',
      failureReason: reason,
      ...(detail ? { failureDetail: detail } : {}),
      ...(providerReference ? { providerReference } : {}),
      updatedAt: context.now().toISOString(),
    },
    event: newEvent(
      'PaymentFailed',
      { orderId, amount, currency, reason, ...(detail ? { detail } : {}), ...(providerReference ? { providerReference } : {}) },
      metadata(context),
    ),
  };
}

export function refund(
  payment: Payment,
  references: { providerReference: string; refundReference: string },
  context: EventContext,
): Settlement {
  const { orderId, amount, currency } = payment;
  return {
    payment: { ...payment, status: 'REFUNDED', ...references, updatedAt: context.now().toISOString() },
    event: newEvent('PaymentRefunded', { orderId, amount, currency, ...references }, metadata(context)),
  };
}
