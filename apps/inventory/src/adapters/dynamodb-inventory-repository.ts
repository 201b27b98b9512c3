import { randomUUID } from 'node:crypto';
import {
  BatchGetCommand,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { InventoryEvent, PricedLine, Product, PutProductRequest, StockRejectionReason } from '@storefront/contracts';
import { conditionFailed, pagedQuery, retryTransactionConflicts, type PageCursors } from '@storefront/dynamodb';
import { outboxItem } from '@storefront/outbox';
import { ProductNotFoundError, StockWouldGoNegativeError } from '../domain/errors';
import type { InventoryRepository, ReleaseOutcome, ReserveOutcome, SellOutcome } from '../domain/ports';
import type { StockLevel } from '../domain/reservation';
import { keys, listings, upsertProduct, type ReservationStatus } from './table-layout';

type Line = { sku: string; quantity: number };
type TransactItems = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>;

/** How a product's counts move when a hold ends: released units go back to stock, sold units leave reserved for sold. */
const UNITS_WHEN_HOLD_ENDS = {
  RELEASED: 'SET stock = stock + :quantity, reserved = reserved - :quantity',
  SOLD: 'SET reserved = reserved - :quantity, sold = if_not_exists(sold, :zero) + :quantity',
} as const;

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
        RequestItems: {
          [this.tableName]: { Keys: unique.map(keys.product), ConsistentRead: true, ProjectionExpression: 'sku, stock, price, currency' },
        },
      }),
    );
    return (Responses?.[this.tableName] ?? []).map((item) => ({
      sku: item.sku as string,
      stock: item.stock as number,
      price: item.price as number,
      currency: item.currency as string,
    }));
  }

  async reserve(orderId: string, lines: PricedLine[], event: InventoryEvent): Promise<ReserveOutcome> {
    // A transaction may touch each product once: the lines of an order have one line per SKU (the order rule).
    const holds = lines.map((line) => ({
      Update: {
        TableName: this.tableName,
        Key: keys.product(line.sku),
        UpdateExpression: 'SET stock = stock - :quantity, reserved = reserved + :quantity',
        ConditionExpression: 'attribute_exists(PK) AND stock >= :quantity AND price = :unitPrice AND currency = :currency',
        ExpressionAttributeValues: { ':quantity': line.quantity, ':unitPrice': line.unitPrice, ':currency': line.currency },
      },
    }));
    const decision = this.decision(orderId, 'RESERVED', { lines, eventId: event.id });
    try {
      await this.transact([decision, ...holds, this.outbox(orderId, event)]);
      return 'reserved';
    } catch (error) {
      if (conditionFailed(error, 0)) return 'already-decided';
      if (holds.some((_, i) => conditionFailed(error, i + 1))) return 'product-changed';
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
    const record = await this.reservation(orderId);
    if (!record) {
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
    const event = makeEvent(record.lines);
    const ended = await this.endHold(orderId, record, { to: 'RELEASED', by: event.id, with: [this.outbox(orderId, event)] });
    return ended ? 'released' : 'already-decided';
  }

  async sell(orderId: string, soldBy: string): Promise<SellOutcome> {
    const record = await this.reservation(orderId);
    // No reservation: nothing was held for this order, and a capture gives no reason to refuse a later one.
    if (!record) return 'nothing-held';
    return (await this.endHold(orderId, record, { to: 'SOLD', by: soldBy })) ? 'sold' : 'already-decided';
  }

  private async reservation(orderId: string): Promise<{ status: ReservationStatus; lines: Line[] } | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.reservation(orderId), ConsistentRead: true }),
    );
    return Item ? { status: Item.status as ReservationStatus, lines: (Item.lines as Line[] | undefined) ?? [] } : undefined;
  }

  /**
   * Ends a hold once, in one transaction: the record goes from RESERVED to
   * `to` (condition: still RESERVED, so a release and a sale of the same order
   * cannot both happen, nor either twice), each held line's units move
   * accordingly, and `with` (e.g. the outbox event) is written too. False when
   * the hold had already ended.
   */
  private async endHold(
    orderId: string,
    record: { status: ReservationStatus; lines: Line[] },
    end: { to: 'RELEASED' | 'SOLD'; by: string; with?: TransactItems },
  ): Promise<boolean> {
    if (record.status !== 'RESERVED') return false;
    try {
      await this.transact([
        {
          Update: {
            TableName: this.tableName,
            Key: keys.reservation(orderId),
            UpdateExpression: 'SET #status = :to, endedBy = :by',
            ConditionExpression: '#status = :reserved',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':to': end.to, ':reserved': 'RESERVED', ':by': end.by },
          },
        },
        ...record.lines.map((line) => ({
          Update: {
            TableName: this.tableName,
            Key: keys.product(line.sku),
            UpdateExpression: UNITS_WHEN_HOLD_ENDS[end.to],
            ExpressionAttributeValues: { ':quantity': line.quantity, ...(end.to === 'SOLD' ? { ':zero': 0 } : {}) },
          },
        })),
        ...(end.with ?? []),
      ]);
      return true;
    } catch (error) {
      if (conditionFailed(error, 0)) return false;
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
  const { sku, name, price, currency, stock, reserved, sold, updatedAt } = item as Product;
  // Products written before units were reserved (or sold) have no count yet: none.
  return { sku, name, price, currency, stock, reserved: reserved ?? 0, sold: sold ?? 0, updatedAt };
}
