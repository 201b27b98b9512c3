import { join } from 'node:path';
import { createDocumentClient, PageCursors } from '@storefront/dynamodb';
import { ValidationError } from '@storefront/errors';
import { createTableFromResource, emptyDynamoDbLocal, TEST_PAGE_CURSOR_KEY, type DynamoDbLocal } from '@storefront/testing';
import { DynamoDbNotificationsRepository } from '../../src/adapters/dynamodb-notifications-repository';
import type { Notification } from '../../src/domain/notification';

let dynamo: DynamoDbLocal;
let repository: DynamoDbNotificationsRepository;

beforeAll(async () => {
  dynamo = await emptyDynamoDbLocal();
  await createTableFromResource(
    dynamo.client,
    join(import.meta.dirname, '../../resources/notifications.yml'),
    'NotificationsTable',
    'notifications-it',
  );
  repository = new DynamoDbNotificationsRepository(
    createDocumentClient(dynamo.client),
    'notifications-it',
    new PageCursors(TEST_PAGE_CURSOR_KEY),
  );
});

afterAll(async () => {
  await dynamo?.stop();
});

const notification = (id: string, createdAt: string, customerId = 'c-1'): Notification => ({
  notificationId: id,
  customerId,
  orderId: `order-${id}`,
  kind: 'ORDER_CONFIRMATION',
  message: 'hello',
  createdAt,
});

describe('DynamoDbNotificationsRepository on DynamoDB Local', () => {
  it('stores a notification once, however often its event arrives', async () => {
    const first = await repository.saveOnce(notification('e1', '2026-03-01T10:00:00.000Z'));
    const again = await repository.saveOnce(notification('e1', '2026-03-01T10:00:00.000Z'));

    expect([first, again]).toEqual([true, false]);
    expect((await repository.listByCustomer('c-1', { limit: 10 })).items).toHaveLength(1);
  });

  it("lists a customer's notifications newest first, page by page", async () => {
    await repository.saveOnce(notification('p1', '2026-03-01T10:00:00.000Z', 'c-2'));
    await repository.saveOnce(notification('p2', '2026-03-02T10:00:00.000Z', 'c-2'));
    await repository.saveOnce(notification('p3', '2026-03-03T10:00:00.000Z', 'c-2'));

    const first = await repository.listByCustomer('c-2', { limit: 2 });
    const second = await repository.listByCustomer('c-2', { limit: 2, ...(first.nextCursor ? { cursor: first.nextCursor } : {}) });

    expect(first.items.map((n) => n.notificationId)).toEqual(['p3', 'p2']);
    expect(second.items.map((n) => n.notificationId)).toEqual(['p1']);
    await expect(repository.listByCustomer('c-1', { limit: 2, cursor: first.nextCursor as string })).rejects.toBeInstanceOf(
      ValidationError,
    );
  });
});
