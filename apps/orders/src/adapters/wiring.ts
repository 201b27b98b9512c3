import { randomUUID } from 'node:crypto';
import { createDocumentClient } from '@storefront/dynamodb';
import { OrdersService } from '../domain/orders-service';
import { DynamoDbOrdersRepository } from './dynamodb-orders-repository';

/** Reads a required setting once at start-up, so a missing one fails loudly on the first call. */
export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Environment variable ${name} is not set`);
  return value;
}

/** The orders service as the HTTP handlers use it: one client per sandbox, created at cold start. */
export function createOrdersService(): OrdersService {
  const repository = new DynamoDbOrdersRepository(createDocumentClient(), requiredEnv('ORDERS_TABLE'));
  return new OrdersService({ repository, now: () => new Date(), newId: randomUUID });
}
