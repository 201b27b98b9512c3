import { randomUUID } from 'node:crypto';
import { createDocumentClient } from '@storefront/dynamodb';
import { InventoryService } from '../domain/inventory-service';
import { DynamoDbInventoryRepository } from './dynamodb-inventory-repository';

export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Environment variable ${name} is not set`);
  return value;
}

/** The inventory service as the handlers use it: one client per sandbox, created at cold start. */
export function createInventoryService(): InventoryService {
  const repository = new DynamoDbInventoryRepository(createDocumentClient(), requiredEnv('INVENTORY_TABLE'));
  return new InventoryService({ repository, now: () => new Date(), newId: randomUUID });
}
