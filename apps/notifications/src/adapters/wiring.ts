import { createDocumentClient, PageCursors } from '@storefront/dynamodb';
import { requiredEnv } from '@storefront/lambda-runtime';
import { DynamoDbNotificationsRepository } from './dynamodb-notifications-repository';

/** One repository per sandbox, created at cold start. */
export function createNotificationsRepository(): DynamoDbNotificationsRepository {
  const cursors = new PageCursors(requiredEnv('PAGE_CURSOR_KEY'));
  return new DynamoDbNotificationsRepository(createDocumentClient(), requiredEnv('NOTIFICATIONS_TABLE'), cursors);
}
