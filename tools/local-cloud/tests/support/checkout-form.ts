/** The form the payments service sends the provider to charge an order at once (Stripe's PaymentIntents API). */
export const checkoutForm = (orderId: string, paymentMethod = 'pm_card_visa', amount = 1999): Record<string, string> => ({
  amount: String(amount),
  currency: 'eur',
  payment_method: paymentMethod,
  confirm: 'true',
  'automatic_payment_methods[enabled]': 'true',
  'automatic_payment_methods[allow_redirects]': 'never',
  'metadata[orderId]': orderId,
});
