import type { Notification } from './notification';

export interface NotificationPage {
  items: Notification[];
  nextCursor?: string;
}

/** What the notifications use cases need from storage; the DynamoDB adapter implements it. */
export interface NotificationsRepository {
  /** Stores a notification unless one with its id exists; answers whether it was new. */
  saveOnce(notification: Notification): Promise<boolean>;
  listByCustomer(customerId: string, page: { limit: number; cursor?: string }): Promise<NotificationPage>;
}
