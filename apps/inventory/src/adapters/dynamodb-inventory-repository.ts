import { randomUUID } from 'node:crypto';
import {
  BatchGetCommand,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { InventoryEvent, Product, PutProductRequest, StockRejectionReason } from '@storefront/contracts';
import { conditionFailed, pagedQuery, retryTransactionConflicts, type PageCursors } from '@storefront/dynamodb';
import { outboxItem } from '@storefront/outbox';
import { ProductNotFoundError, StockWouldGoNegativeError } from '../domain/errors';
import type { InventoryRepository, ReleaseOutcome, ReserveOutcome } from '../domain/ports';
import type { StockLevel } from '../domain/reservation';
import { keys, listings, upsertProduct, type ReservationStatus } from './table-layout';

type Line = { sku: string; quantity: number };
type TransactItems = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>;

export class DynamoDbInventoryRepository implements InventoryRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly cursors: PageCursors,
  ) {}

  /** TransactWriteItems, retried while it only lost a race with another transaction (concurrent orders for one product). */
  private async transact(items: TransactItems): Promise<void> {
    await retryTransactionConflicts(() => this.client.send(new TransactWriteCommand({ TransactItems: items })));
  }

  async putProduct(sku: string, product: PutProductRequest, at: string): Promise<Product> {
    const { Attributes } = await this.client.send(
      new UpdateCommand({ ...upsertProduct(this.tableName, { sku, ...product }, at), ReturnValues: 'ALL_NEW' }),
    );
    return toProduct(Attributes ?? {});
  }

  async getProduct(sku: string): Promise<Product | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: keys.product(sku) }));
    return Item ? toProduct(Item) : undefined;
  }

  listProducts(page: { limit: number; cursor?: string }) {
    return pagedQuery(this.client, this.cursors, { listing: listings.products(this.tableName) }, page, toProduct);
  }

  async adjustStock(sku: string, delta: number, reason: string, at: string): Promise<Product> {
    try {
      await this.transact([
        {
          Update: {
            TableName: this.tableName,
            Key: keys.product(sku),
            UpdateExpression: 'SET stock = stock + :delta, updatedAt = :at',
            ConditionExpression: 'attribute_exists(PK) AND stock >= :floor',
            ExpressionAttributeValues: { ':delta': delta, ':at': at, ':floor': Math.max(0, -delta) },
          },
        },
        {
          Put: {
            TableName: this.tableName,
            Item: { ...keys.adjustment(sku, at, randomUUID()), entityType: 'ADJUSTMENT', delta, reason, at },
          },
        },
      ]);
    } catch (error) {
      if (!conditionFailed(error, 0)) throw error;
      const current = await this.getProduct(sku);
      if (!current) throw new ProductNotFoundError(sku);
      throw new StockWouldGoNegativeError(sku, current.stock, delta);
    }
    return (await this.getProduct(sku)) as Product;
  }

  async stockLevels(skus: string[]): Promise<StockLevel[]> {
    const unique = [...new Set(skus)];
    const { Responses } = await this.client.send(
      new BatchGetCommand({
        RequestItems: { [this.tableName]: { Keys: unique.map(keys.product), ConsistentRead: true, ProjectionExpression: 'sku, stock' } },
      }),
    );
    return (Responses?.[this.tableName] ?? []).map((item) => ({ sku: item.sku as string, stock: item.stock as number }));
  }

  async reserve(orderId: string, lines: Line[], event: InventoryEvent): Promise<ReserveOutcome> {
    // A transaction may touch each product once: hold per SKU.
    const perSku = [...lines.reduce((m, l) => m.set(l.sku, (m.get(l.sku) ?? 0) + l.quantity), new Map<string, number>())].map(
      ([sku, quantity]) => ({ sku, quantity }),
    );
    const holds = perSku.map((line) => ({
      Update: {
        TableName: this.tableName,
        Key: keys.product(line.sku),
        UpdateExpression: 'SET stock = stock - :quantity, reserved = reserved + :quantity',
        ConditionExpression: 'attribute_exists(PK) AND stock >= :quantity',
        ExpressionAttributeValues: { ':quantity': line.quantity },
      },
    }));
    const decision = this.decision(orderId, 'RESERVED', { lines, eventId: event.id });
    try {
      await this.transact([decision, ...holds, this.outbox(orderId, event)]);
      return 'reserved';
    } catch (error) {
      if (conditionFailed(error, 0)) return 'already-decided';
      if (holds.some((_, i) => conditionFailed(error, i + 1))) return 'insufficient-stock';
      throw error;
    }
  }

  async reject(orderId: string, reasons: StockRejectionReason[], event: InventoryEvent) {
    try {
      await this.transact([this.decision(orderId, 'REJECTED', { reasons, eventId: event.id }), this.outbox(orderId, event)]);
      return 'rejected' as const;
    } catch (error) {
      if (conditionFailed(error, 0)) return 'already-decided' as const;
      throw error;
    }
  }

  async release(orderId: string, makeEvent: (lines: Line[]) => InventoryEvent): Promise<ReleaseOutcome> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.reservation(orderId), ConsistentRead: true }),
    );
    if (!Item) {
      // The cancel (or rejection) overtook the order: record it, so the OrderPlaced that follows reserves nothing.
      try {
        await this.client.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...keys.reservation(orderId), entityType: 'RESERVATION', status: 'CANCELLED_BEFORE_DECISION' },
            ConditionExpression: 'attribute_not_exists(PK)',
          }),
        );
        return 'nothing-held';
      } catch (error) {
        if (!conditionFailed(error)) throw error;
        return this.release(orderId, makeEvent);
      }
    }
    if ((Item.status as ReservationStatus) !== 'RESERVED') return 'already-decided';
    const lines = Item.lines as Line[];
    const event = makeEvent(lines);
    try {
      await this.transact([
        {
          Update: {
            TableName: this.tableName,
            Key: keys.reservation(orderId),
            UpdateExpression: 'SET #status = :released, releasedBy = :eventId',
            ConditionExpression: '#status = :reserved',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':released': 'RELEASED', ':reserved': 'RESERVED', ':eventId': event.id },
          },
        },
        ...lines.map((line) => ({
          Update: {
            TableName: this.tableName,
            Key: keys.product(line.sku),
            UpdateExpression: 'SET stock = stock + :quantity, reserved = reserved - :quantity',
            ExpressionAttributeValues: { ':quantity': line.quantity },
          },
        })),
        this.outbox(orderId, event),
      ]);
      return 'released';
    } catch (error) {
      if (conditionFailed(error, 0)) return 'already-decided';
      throw error;
    }
  }

  private decision(orderId: string, status: ReservationStatus, details: Record<string, unknown>) {
    return {
      Put: {
        TableName: this.tableName,
        Item: { ...keys.reservation(orderId), entityType: 'RESERVATION', status, ...details },
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    };
  }

  private outbox(orderId: string, event: InventoryEvent) {
    return { Put: { TableName: this.tableName, Item: outboxItem(keys.outboxEvent(orderId, event), event) } };
  }
}

function toProduct(item: Record<string, unknown>): Product {
  const { sku, name, price, currency, stock, reserved, updatedAt } = item as Product;
  return { sku, name, price, currency, stock, reserved: reserved ?? 0, updatedAt };
}
