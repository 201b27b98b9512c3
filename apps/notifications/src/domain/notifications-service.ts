import { type Caller, mayActFor } from '@storefront/contracts';
import { ForbiddenError } from '@storefront/errors';
import { type CustomerFacingEvent, notificationFor } from './notification';
import type { NotificationPage, NotificationsRepository } from './ports';

/** What became of an order event: the customer was told, or had been told already. */
export type NotifyOutcome = 'notified' | 'duplicate';

export class NotificationsOfAnotherCustomerError extends ForbiddenError {
  override readonly name: string = 'NotificationsOfAnotherCustomerError';

  constructor(readonly customerId: string) {
    super(`Only customer ${customerId} (or an admin) may read their notifications`);
  }
}

/** The notifications use cases, behind the repository port. */
export class NotificationsService {
  constructor(private readonly deps: { repository: NotificationsRepository }) {}

  /** Tells the customer about an order event, once: the notification is keyed by the event id, so a redelivery changes nothing. */
  async notify(event: CustomerFacingEvent): Promise<NotifyOutcome> {
    return (await this.deps.repository.saveOnce(notificationFor(event))) ? 'notified' : 'duplicate';
  }

  /** A customer's notifications, for that customer or an admin. */
  listByCustomer(caller: Caller, customerId: string, page: { limit: number; cursor?: string }): Promise<NotificationPage> {
    if (!mayActFor(caller, customerId)) return Promise.reject(new NotificationsOfAnotherCustomerError(customerId));
    return this.deps.repository.listByCustomer(customerId, page);
  }
}
