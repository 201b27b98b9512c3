import { randomUUID } from 'node:crypto';
import { createDocumentClient, PageCursors } from '@storefront/dynamodb';
import { requiredEnv } from '@storefront/lambda-runtime';
import { InventoryService } from '../domain/inventory-service';
import { DynamoDbInventoryRepository } from './dynamodb-inventory-repository';

/** The inventory service as the handlers use it: one client per sandbox, created at cold start. */
export function createInventoryService(): InventoryService {
  const cursors = new PageCursors(requiredEnv('PAGE_CURSOR_KEY'));
  const repository = new DynamoDbInventoryRepository(createDocumentClient(), requiredEnv('INVENTORY_TABLE'), cursors);
  return new InventoryService({ repository, now: () => new Date(), newId: randomUUID });
}
