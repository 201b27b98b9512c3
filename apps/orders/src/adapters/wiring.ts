import { randomUUID } from 'node:crypto';
import { createDocumentClient, PageCursors } from '@storefront/dynamodb';
import { requiredEnv } from '@storefront/lambda-runtime';
import { OrdersService } from '../domain/orders-service';
import { DynamoDbOrdersRepository } from './dynamodb-orders-repository';

/** The orders service as the HTTP handlers use it: one client per sandbox, created at cold start. */
export function createOrdersService(): OrdersService {
  const cursors = new PageCursors(requiredEnv('PAGE_CURSOR_KEY'));
  const repository = new DynamoDbOrdersRepository(createDocumentClient(), requiredEnv('ORDERS_TABLE'), cursors);
  return new OrdersService({ repository, now: () => new Date(), newId: randomUUID });
}
