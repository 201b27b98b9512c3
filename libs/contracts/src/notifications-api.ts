import { array, enum as oneOf, iso, object, string, type infer as Infer } from 'zod/mini';
import { CustomerId, NextCursor } from './orders-api';
import './zod';

export const NotificationKind = oneOf(['ORDER_CONFIRMATION', 'ORDER_CANCELLATION']);
export type NotificationKind = Infer<typeof NotificationKind>;

export const Notification = object({
  notificationId: string(),
  customerId: CustomerId,
  orderId: string(),
  kind: NotificationKind,
  message: string(),
  createdAt: iso.datetime(),
});
export type Notification = Infer<typeof Notification>;

export const NotificationPage = object({
  items: array(Notification),
  nextCursor: NextCursor,
});
export type NotificationPage = Infer<typeof NotificationPage>;
