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
import type { InventoryRepository, ReleaseOutcome, ReserveOutcome, RestockOutcome, SellOutcome } from '../domain/ports';
import type { StockLevel } from '../domain/reservation';
import { keys, listings, upsertProduct, type ReservationStatus } from './table-layout';

type Line = { sku: string; quantity: number };
type TransactItems = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>;

/**
 * How a hold ends: from which status, the record attribute that keeps the id of the event that ended it, and how
 * each held line's units move. Released units go back to stock, sold units leave reserved for sold, and a refund
 * after the sale puts them from sold back into stock (keeping the id of the capture that sold them).
 */
const HOLD_ENDINGS = {
  RELEASED: { from: 'RESERVED', by: 'endedBy', units: 'SET stock = stock + :quantity, reserved = reserved - :quantity' },
  SOLD: { from: 'RESERVED', by: 'endedBy', units: 'SET reserved = reserved - :quantity, sold = if_not_exists(sold, :zero) + :quantity' },
  RESTOCKED: { from: 'SOLD', by: 'restockedBy', units: 'SET stock = stock + :quantity, sold = sold - :quantity' },
} as const satisfies Record<string, { from: ReservationStatus; by: string; units: string }>;

/**
 * Each conditional write that loses a race finds the record moved on (none → decided, RESERVED → ended,
 * SOLD → RESTOCKED), so a few reads settle any order; more means something else is wrong.
 */
const MAX_RECORD_READS = 4;

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
    return (await this.giveBack(orderId, makeEvent)) as ReleaseOutcome;
  }

  async sell(orderId: string, soldBy: string): Promise<SellOutcome> {
    const record = await this.reservation(orderId);
    // No reservation: nothing was held for this order, and a capture gives no reason to refuse a later one.
    if (!record) return 'nothing-held';
    return (await this.endHold(orderId, record, { to: 'SOLD', by: soldBy })) ? 'sold' : 'already-decided';
  }

  restock(orderId: string, refundedBy: string, makeEvent: (lines: Line[]) => InventoryEvent): Promise<RestockOutcome> {
    return this.giveBack(orderId, makeEvent, refundedBy);
  }

  /**
   * Gives back what the order holds (RESERVED → RELEASED) and, given the
   * refund that undoes it, what it bought (SOLD → RESTOCKED), either way with
   * the event in the same transaction. Reads
   * again whenever a conditional write finds the record changed since it was
   * read: a capture may sell the hold between a refund's read and its write.
   */
  private async giveBack(orderId: string, makeEvent: (lines: Line[]) => InventoryEvent, refundedBy?: string): Promise<RestockOutcome> {
    for (let read = 1; read <= MAX_RECORD_READS; read++) {
      const record = await this.reservation(orderId);
      if (!record) {
        if (await this.refuseLateOrder(orderId)) return 'nothing-held';
      } else if (record.status === 'RESERVED') {
        const event = makeEvent(record.lines);
        if (await this.endHold(orderId, record, { to: 'RELEASED', by: event.id, with: [this.outbox(orderId, event)] })) return 'released';
      } else if (record.status === 'SOLD' && refundedBy) {
        const event = makeEvent(record.lines);
        if (await this.endHold(orderId, record, { to: 'RESTOCKED', by: refundedBy, with: [this.outbox(orderId, event)] }))
          return 'restocked';
      } else {
        return 'already-decided';
      }
    }
    throw new Error(`Order ${orderId}: its reservation kept changing while giving its units back; the message will be retried`);
  }

  /** The order was withdrawn before inventory decided it: record that, so its late OrderPlaced reserves nothing. False if a decision came first. */
  private async refuseLateOrder(orderId: string): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.reservation(orderId), entityType: 'RESERVATION', status: 'CANCELLED_BEFORE_DECISION' },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
      return true;
    } catch (error) {
      if (!conditionFailed(error)) throw error;
      return false;
    }
  }

  private async reservation(orderId: string): Promise<{ status: ReservationStatus; lines: Line[] } | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.reservation(orderId), ConsistentRead: true }),
    );
    return Item ? { status: Item.status as ReservationStatus, lines: (Item.lines as Line[] | undefined) ?? [] } : undefined;
  }

  /**
   * Ends a hold once, in one transaction: the record goes from the status the
   * ending starts from to `to` (condition: still in that status, so a release
   * and a sale of the same order cannot both happen, nor either twice), each
   * held line's units move accordingly, and `with` (e.g. the outbox event) is
   * written too. False when the record is no longer in that status.
   */
  private async endHold(
    orderId: string,
    record: { status: ReservationStatus; lines: Line[] },
    end: { to: keyof typeof HOLD_ENDINGS; by: string; with?: TransactItems },
  ): Promise<boolean> {
    const { from, by, units } = HOLD_ENDINGS[end.to];
    if (record.status !== from) return false;
    try {
      await this.transact([
        {
          Update: {
            TableName: this.tableName,
            Key: keys.reservation(orderId),
            UpdateExpression: 'SET #status = :to, #by = :by',
            ConditionExpression: '#status = :from',
            ExpressionAttributeNames: { '#status': 'status', '#by': by },
            ExpressionAttributeValues: { ':to': end.to, ':from': from, ':by': end.by },
          },
        },
        ...record.lines.map((line) => ({
          Update: {
            TableName: this.tableName,
            Key: keys.product(line.sku),
            UpdateExpression: units,
            ExpressionAttributeValues: { ':quantity': line.quantity, ...(units.includes(':zero') ? { ':zero': 0 } : {}) },
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
