import {
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  type DynamoDBDocumentClient,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { OrderEvent } from '@storefront/contracts';
import { conditionFailed, pagedQuery, retryTransactionConflicts, type PageCursors } from '@storefront/dynamodb';
import { outboxItem } from '@storefront/outbox';
import { ConcurrentOrderUpdateError } from '../domain/errors';
import { IDEMPOTENCY_WINDOW_SECONDS } from '../domain/idempotency';
import type { Order, OrderStatus } from '../domain/order';
import type { IdempotencyClaim, OrderPage, OrdersRepository } from '../domain/ports';
import { isWaiting, type WaitingStatus } from '../domain/waiting-orders';
import { keys, listings } from './table-layout';

/** Orders, their outbox events and idempotency claims in one table (see resources/orders.yml). */
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
      await retryTransactionConflicts(() => this.client.send(new TransactWriteCommand({ TransactItems: items })));
      return { created: true as const };
    } catch (error) {
      if (!claim || !conditionFailed(error, 2)) throw error;
      const { Item } = await this.client.send(
        new GetCommand({ TableName: this.tableName, Key: keys.idempotency(claim.key), ConsistentRead: true }),
      );
      if (!Item) throw error;
      return { created: false as const, fingerprint: Item.fingerprint as string, order: Item.order as Order };
    }
  }

  async get(orderId: string, { consistent = false }: { consistent?: boolean } = {}): Promise<Order | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.order(orderId), ...(consistent ? { ConsistentRead: true } : {}) }),
    );
    return Item ? toOrder(Item) : undefined;
  }

  listByCustomer(customerId: string, page: { limit: number; cursor?: string }): Promise<OrderPage> {
    const listing = listings.customerOrders(this.tableName, customerId);
    return pagedQuery(this.client, this.cursors, { listing, ascending: false }, page, toOrder);
  }

  async transition(order: Order, expected: OrderStatus, event?: OrderEvent): Promise<void> {
    const { expression, names, values } = statusChange(order, expected);
    const items: NonNullable<TransactWriteCommandInput['TransactItems']> = [
      {
        Update: {
          TableName: this.tableName,
          Key: keys.order(order.orderId),
          UpdateExpression: expression,
          ConditionExpression: '#status = :expected',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: { ...values, ':expected': expected },
        },
      },
      ...(event ? [{ Put: { TableName: this.tableName, Item: this.eventItem(order.orderId, event, this.nowSeconds()) } }] : []),
    ];
    try {
      // A transaction that only collided with another on the same order (a cancel and a saga step at once) is run
      // again; its condition then tells whether the order is still as read.
      await retryTransactionConflicts(() => this.client.send(new TransactWriteCommand({ TransactItems: items })));
    } catch (error) {
      if (conditionFailed(error, 0)) throw new ConcurrentOrderUpdateError(order.orderId, { cause: error });
      throw error;
    }
  }

  async waitingSince(status: WaitingStatus, before: string, limit: number): Promise<Order[]> {
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'GSI2',
        KeyConditionExpression: 'GSI2PK = :status AND GSI2SK < :before',
        ExpressionAttributeValues: { ':status': status, ':before': before },
        Limit: limit,
      }),
    );
    return Items.map(toOrder);
  }

  private orderItem(order: Order) {
    const waiting = isWaiting(order.status) ? keys.waitingIndex(order.status, order) : {};
    return { ...keys.order(order.orderId), ...keys.customerOrderIndex(order), ...waiting, entityType: 'ORDER', ...order };
  }

  private eventItem(orderId: string, event: OrderEvent, nowSeconds: number) {
    return outboxItem(keys.outboxEvent(orderId, event), event, nowSeconds);
  }
}

/** What a status change may add to an order besides its status: why, what it costs (in all and per line), how its payment ended. */
const STATUS_DETAILS = ['rejectionReasons', 'statusReason', 'total', 'pricedLines', 'payment'] as const;

/**
 * The update that moves an order from `expected` to its new status: the status
 * and what explains it, and the order's place in the waiting index (it enters
 * it for a waiting status and leaves it otherwise).
 */
function statusChange(order: Order, expected: OrderStatus) {
  const sets = ['#status = :status', 'updatedAt = :updatedAt'];
  // Named, since some are reserved words in expressions (`total`).
  const names: Record<string, string> = { '#status': 'status' };
  const values: Record<string, unknown> = { ':status': order.status, ':updatedAt': order.updatedAt };
  for (const detail of STATUS_DETAILS) {
    if (order[detail] === undefined) continue;
    sets.push(`#${detail} = :${detail}`);
    names[`#${detail}`] = detail;
    values[`:${detail}`] = order[detail];
  }
  let removes = '';
  if (isWaiting(order.status)) {
    const index = keys.waitingIndex(order.status, order);
    sets.push('GSI2PK = :waitingIn', 'GSI2SK = :waitingSince');
    Object.assign(values, { ':waitingIn': index.GSI2PK, ':waitingSince': index.GSI2SK });
  } else if (isWaiting(expected)) removes = ' REMOVE GSI2PK, GSI2SK';
  return { expression: `SET ${sets.join(', ')}${removes}`, names, values };
}

function toOrder(item: Record<string, unknown>): Order {
  const { orderId, status, customerId, currency, paymentMethod, lines, createdAt, updatedAt } = item as Order;
  const details = Object.fromEntries(STATUS_DETAILS.filter((detail) => item[detail] !== undefined).map((detail) => [detail, item[detail]]));
  return { orderId, status, customerId, currency, paymentMethod, lines, createdAt, updatedAt, ...details };
}
