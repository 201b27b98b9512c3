import { type Caller, mayActFor } from '@storefront/contracts';
import { ForbiddenError } from '@storefront/errors';
import { OrderNotFoundError } from './errors';
import type { Order } from './order';

export class OrderForAnotherCustomerError extends ForbiddenError {
  override readonly name: string = 'OrderForAnotherCustomerError';

  constructor(readonly callerId: string) {
    super(`An order is placed for the signed-in customer (${callerId}); leave customerId out or send your own`);
  }
}

export class OrdersOfAnotherCustomerError extends ForbiddenError {
  override readonly name: string = 'OrdersOfAnotherCustomerError';

  constructor(readonly customerId: string) {
    super(`Only customer ${customerId} (or an admin) may list their orders`);
  }
}

/** The customer an order is placed for: always the caller; a request naming anyone else is refused. */
export function orderingCustomer(caller: Caller, requested: string | undefined): string {
  if (requested !== undefined && requested !== caller.id) throw new OrderForAnotherCustomerError(caller.id);
  return caller.id;
}

/**
 * The order, if the caller may see it: its customer's, or any for an admin. Anyone else is told it does not
 * exist, exactly as for an unknown id, so order ids cannot be probed.
 */
export function visibleOrder(caller: Caller, order: Order | undefined, orderId: string): Order {
  if (!order || !mayActFor(caller, order.customerId)) throw new OrderNotFoundError(orderId);
  return order;
}

export function assertMayListOrdersOf(caller: Caller, customerId: string): void {
  if (!mayActFor(caller, customerId)) throw new OrdersOfAnotherCustomerError(customerId);
}
