import {
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  type DynamoDBDocumentClient,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { OrderEvent } from '@storefront/contracts';
import { conditionFailedAt, pagedQuery, type PageCursors } from '@storefront/dynamodb';
import { outboxItem } from '@storefront/outbox';
import { ConcurrentOrderUpdateError } from '../domain/errors';
import { IDEMPOTENCY_WINDOW_SECONDS } from '../domain/idempotency';
import type { Order, OrderStatus } from '../domain/order';
import type { IdempotencyClaim, OrderPage, OrdersRepository } from '../domain/ports';
import { keys, listings } from './table-layout';

/** Orders, their outbox events and idempotency claims in one table (see resources/orders-table.yml). */
export class DynamoDbOrdersRepository implements OrdersRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly cursors: PageCursors,
    private readonly nowSeconds: () => number = () => Math.floor(Date.now() / 1000),
  ) {}

  async create(order: Order, event: OrderEvent, claim?: IdempotencyClaim) {
    const now = this.nowSeconds();
    const items: NonNullable<TransactWriteCommandInput['TransactItems']> = [
      { Put: { TableName: this.tableName, Item: this.orderItem(order), ConditionExpression: 'attribute_not_exists(PK)' } },
      { Put: { TableName: this.tableName, Item: this.eventItem(order.orderId, event, now) } },
    ];
    if (claim) {
      items.push({
        Put: {
          TableName: this.tableName,
          Item: {
            ...keys.idempotency(claim.key),
            entityType: 'IDEMPOTENCY',
            fingerprint: claim.fingerprint,
            order,
            expiresAt: now + IDEMPOTENCY_WINDOW_SECONDS,
          },
          ConditionExpression: 'attribute_not_exists(PK) OR expiresAt < :now',
          ExpressionAttributeValues: { ':now': now },
        },
      });
    }
    try {
      await this.client.send(new TransactWriteCommand({ TransactItems: items }));
      return { created: true as const };
    } catch (error) {
      if (!claim || !conditionFailedAt(error, 2)) throw error;
      const { Item } = await this.client.send(
        new GetCommand({ TableName: this.tableName, Key: keys.idempotency(claim.key), ConsistentRead: true }),
      );
      if (!Item) throw error;
      return { created: false as const, fingerprint: Item.fingerprint as string, order: Item.order as Order };
    }
  }

  async get(orderId: string): Promise<Order | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: keys.order(orderId) }));
    return Item ? toOrder(Item) : undefined;
  }

  listByCustomer(customerId: string, page: { limit: number; cursor?: string }): Promise<OrderPage> {
    const listing = listings.customerOrders(this.tableName, customerId);
    return pagedQuery(this.client, this.cursors, { listing, ascending: false }, page, toOrder);
  }

  async transition(order: Order, expected: OrderStatus, event?: OrderEvent): Promise<void> {
    const reasons = order.rejectionReasons ? ', rejectionReasons = :reasons' : '';
    const leavesPending = expected === 'PENDING' && order.status !== 'PENDING' ? ' REMOVE GSI2PK, GSI2SK' : '';
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: keys.order(order.orderId),
                UpdateExpression: `SET #status = :status, updatedAt = :updatedAt${reasons}${leavesPending}`,
                ConditionExpression: '#status = :expected',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: {
                  ':status': order.status,
                  ':updatedAt': order.updatedAt,
                  ':expected': expected,
                  ...(order.rejectionReasons ? { ':reasons': order.rejectionReasons } : {}),
                },
              },
            },
            ...(event ? [{ Put: { TableName: this.tableName, Item: this.eventItem(order.orderId, event, this.nowSeconds()) } }] : []),
          ],
        }),
      );
    } catch (error) {
      if (conditionFailedAt(error, 0)) throw new ConcurrentOrderUpdateError(order.orderId, { cause: error });
      throw error;
    }
  }

  async pendingSince(before: string, limit: number): Promise<Order[]> {
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'GSI2',
        KeyConditionExpression: 'GSI2PK = :pending AND GSI2SK < :before',
        ExpressionAttributeValues: { ':pending': 'PENDING', ':before': before },
        Limit: limit,
      }),
    );
    return Items.map(toOrder);
  }

  private orderItem(order: Order) {
    const pending = order.status === 'PENDING' ? keys.pendingIndex(order) : {};
    return { ...keys.order(order.orderId), ...keys.customerOrderIndex(order), ...pending, entityType: 'ORDER', ...order };
  }

  private eventItem(orderId: string, event: OrderEvent, nowSeconds: number) {
    return outboxItem(keys.outboxEvent(orderId, event), event, nowSeconds);
  }
}

function toOrder(item: Record<string, unknown>): Order {
  const { orderId, status, customerId, currency, lines, createdAt, updatedAt, rejectionReasons } = item as Order;
  return { orderId, status, customerId, currency, lines, createdAt, updatedAt, ...(rejectionReasons ? { rejectionReasons } : {}) };
}
