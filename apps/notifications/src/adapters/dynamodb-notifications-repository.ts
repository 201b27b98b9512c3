import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { conditionFailed, pagedQuery, type PageCursors, type PageListing } from '@storefront/dynamodb';
import type { Notification } from '../domain/notification';
import type { NotificationPage, NotificationsRepository } from '../domain/ports';

/**
 * Notifications by customer, newest first (see resources/notifications.yml).
 * The sort key is derived from the event, so a redelivery hits the same item.
 */
export class DynamoDbNotificationsRepository implements NotificationsRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly cursors: PageCursors,
  ) {}

  async saveOnce(notification: Notification): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keyOf(notification), ...notification },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
      return true;
    } catch (error) {
      if (conditionFailed(error)) return false;
      throw error;
    }
  }

  listByCustomer(customerId: string, page: { limit: number; cursor?: string }): Promise<NotificationPage> {
    const listing: PageListing = { table: this.tableName, key: ['PK', 'SK'], partition: customerPartition(customerId) };
    return pagedQuery(this.client, this.cursors, { listing, ascending: false }, page, toNotification);
  }
}

const customerPartition = (customerId: string) => `CUSTOMER#${customerId}`;

function keyOf(notification: Notification) {
  return { PK: customerPartition(notification.customerId), SK: `NOTIFICATION#${notification.createdAt}#${notification.notificationId}` };
}

function toNotification(item: Record<string, unknown>): Notification {
  const { notificationId, customerId, orderId, kind, message, createdAt } = item as Notification;
  return { notificationId, customerId, orderId, kind, message, createdAt };
}
