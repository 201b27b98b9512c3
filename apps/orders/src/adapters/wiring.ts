import { randomUUID } from 'node:crypto';
import { createDocumentClient, PageCursors } from '@storefront/dynamodb';
import { requiredEnv } from '@storefront/lambda-runtime';
import { OrdersService } from '../domain/orders-service';
import { waitingStatuses, waitTimeouts, type WaitingStatus, type WaitTimeouts } from '../domain/waiting-orders';
import { DynamoDbOrdersRepository } from './dynamodb-orders-repository';

/** The orders service as the handlers use it: one client per sandbox, created at cold start. */
export function createOrdersService(options: { timeouts?: WaitTimeouts } = {}): OrdersService {
  const cursors = new PageCursors(requiredEnv('PAGE_CURSOR_KEY'));
  const repository = new DynamoDbOrdersRepository(createDocumentClient(), requiredEnv('ORDERS_TABLE'), cursors);
  return new OrdersService({ repository, now: () => new Date(), newId: randomUUID, ...options });
}

/**
 * How long orders may wait in each waiting status: `<STATUS>_TIMEOUT_SECONDS`
 * (e.g. PENDING_TIMEOUT_SECONDS) where set, the domain's default otherwise.
 * A value that is not a whole number of seconds fails at cold start.
 */
export function timeoutsFromEnvironment(env: NodeJS.ProcessEnv = process.env): WaitTimeouts {
  const seconds: Partial<Record<WaitingStatus, number>> = {};
  for (const status of waitingStatuses()) {
    const name = `${status}_TIMEOUT_SECONDS`;
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number of seconds, at least 1, not "${raw}"`);
    seconds[status] = value;
  }
  return waitTimeouts(seconds);
}
