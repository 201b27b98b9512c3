import { createDocumentClient } from '@storefront/dynamodb';
import { DynamoDbNotificationsRepository } from './dynamodb-notifications-repository';

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Environment variable ${name} is not set`);
  return value;
}

/** One repository per sandbox, created at cold start. */
export function createNotificationsRepository(): DynamoDbNotificationsRepository {
  return new DynamoDbNotificationsRepository(createDocumentClient(), requiredEnv('NOTIFICATIONS_TABLE'));
}
