import { createDocumentClient, PageCursors } from '@storefront/dynamodb';
import { requiredEnv } from '@storefront/lambda-runtime';
import { NotificationsService } from '../domain/notifications-service';
import { DynamoDbNotificationsRepository } from './dynamodb-notifications-repository';

/** The notifications service as the handlers use it: one client per sandbox, created at cold start. */
export function createNotificationsService(): NotificationsService {
  const cursors = new PageCursors(requiredEnv('PAGE_CURSOR_KEY'));
  const repository = new DynamoDbNotificationsRepository(createDocumentClient(), requiredEnv('NOTIFICATIONS_TABLE'), cursors);
  return new NotificationsService({ repository });
}
