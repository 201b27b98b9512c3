import { join } from 'node:path';
import { Readable } from 'node:stream';
import { PutCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { OrderPlacedV1 } from '@storefront/contracts';
import { createDocumentClient, PageCursors } from '@storefront/dynamodb';
import { createTableFromResource, emptyDynamoDbLocal, TEST_PAGE_CURSOR_KEY, type DynamoDbLocal } from '@storefront/testing';
import { catalogWriter } from '../../src/adapters/catalog-store';
import { csvRows } from '../../src/adapters/csv-rows';
import { DynamoDbInventoryRepository } from '../../src/adapters/dynamodb-inventory-repository';
import { importCatalog } from '../../src/domain/catalog-import';
import { ProductNotFoundError, StockWouldGoNegativeError } from '../../src/domain/errors';
import { InventoryService } from '../../src/domain/inventory-service';
import { stockReserved } from '../../src/domain/reservation';
import { anOrderFor, cancellationOf, captureOf, ids, paymentFailureOf, refundOf, timeoutRejectionOf } from '../support/events';

let dynamo: DynamoDbLocal;
let documents: DynamoDBDocumentClient;
let tables = 0;

beforeAll(async () => {
  dynamo = await emptyDynamoDbLocal();
  documents = createDocumentClient(dynamo.client);
});

afterAll(async () => {
  await dynamo?.stop();
});

async function freshInventory() {
  const tableName = `inventory-it-${++tables}`;
  await createTableFromResource(dynamo.client, join(import.meta.dirname, '../../resources/inventory.yml'), 'InventoryTable', tableName);
  const repository = new DynamoDbInventoryRepository(documents, tableName, new PageCursors(TEST_PAGE_CURSOR_KEY));
  const service = new InventoryService({ repository, ...ids() });
  const outbox = async () =>
    ((await documents.send(new ScanCommand({ TableName: tableName, ConsistentRead: true }))).Items ?? [])
      .filter((i) => i.entityType === 'OUTBOX_EVENT')
      .map((i) => i.event);
  return { tableName, repository, service, outbox };
}

const lamp = { name: 'Lamp', price: 1999, currency: 'EUR', stock: 10 };

describe('reserving stock on DynamoDB Local', () => {
  it('lets exactly 10 of 50 concurrent one-unit orders through for 10 units, never below zero', async () => {
    const { service, repository, outbox } = await freshInventory();
    await service.putProduct('LAST-UNITS', lamp);
    const orders = Array.from({ length: 50 }, () => anOrderFor([{ sku: 'LAST-UNITS', quantity: 1 }]));

    const outcomes = await Promise.all(orders.map((order) => service.onOrderPlaced(order)));

    expect(outcomes.filter((o) => o === 'reserved')).toHaveLength(10);
    expect(outcomes.filter((o) => o === 'rejected')).toHaveLength(40);
    expect(await repository.getProduct('LAST-UNITS')).toMatchObject({ stock: 0, reserved: 10 });
    const events = await outbox();
    expect(events.filter((e) => e.type === 'StockReserved')).toHaveLength(10);
    expect(events.filter((e) => e.type === 'StockRejected')).toHaveLength(40);
  });

  it('holds all lines of an order or none, naming each line that failed', async () => {
    const { service, repository, outbox } = await freshInventory();
    await service.putProduct('A', { ...lamp, stock: 5 });
    await service.putProduct('B', { ...lamp, stock: 1 });

    const outcome = await service.onOrderPlaced(
      anOrderFor([
        { sku: 'A', quantity: 2 },
        { sku: 'B', quantity: 3 },
        { sku: 'GHOST', quantity: 1 },
      ]),
    );

    expect(outcome).toBe('rejected');
    expect(await repository.getProduct('A')).toMatchObject({ stock: 5, reserved: 0 });
    expect(await repository.getProduct('B')).toMatchObject({ stock: 1, reserved: 0 });
    const [rejected] = await outbox();
    expect(rejected.data.reasons).toEqual([
      { sku: 'B', reason: 'INSUFFICIENT_STOCK', requested: 3, available: 1 },
      { sku: 'GHOST', reason: 'UNKNOWN_SKU', requested: 1 },
    ]);
  });

  it('reserves once when the same OrderPlaced arrives twice', async () => {
    const { service, repository, outbox } = await freshInventory();
    await service.putProduct('A', lamp);
    const placed = anOrderFor([{ sku: 'A', quantity: 3 }]);

    const outcomes = [await service.onOrderPlaced(placed), await service.onOrderPlaced(placed)];

    expect(outcomes).toEqual(['reserved', 'already-decided']);
    expect(await repository.getProduct('A')).toMatchObject({ stock: 7, reserved: 3 });
    expect(await outbox()).toHaveLength(1);
  });

  it('releases once when the same OrderCancelled arrives twice', async () => {
    const { service, repository, outbox } = await freshInventory();
    await service.putProduct('A', lamp);
    const placed = anOrderFor([{ sku: 'A', quantity: 4 }]);
    await service.onOrderPlaced(placed);

    const outcomes = [await service.onOrderWithdrawn(cancellationOf(placed)), await service.onOrderWithdrawn(cancellationOf(placed))];

    expect(outcomes).toEqual(['released', 'already-decided']);
    expect(await repository.getProduct('A')).toMatchObject({ stock: 10, reserved: 0 });
    expect((await outbox()).map((e) => e.type).sort()).toEqual(['StockReleased', 'StockReserved']);
  });

  it('reserves nothing for an order whose cancel arrived first', async () => {
    const { service, repository } = await freshInventory();
    await service.putProduct('A', lamp);
    const placed = anOrderFor([{ sku: 'A', quantity: 2 }]);

    const cancelled = await service.onOrderWithdrawn(cancellationOf(placed));
    const late = await service.onOrderPlaced(placed);

    expect([cancelled, late]).toEqual(['nothing-held', 'already-decided']);
    expect(await repository.getProduct('A')).toMatchObject({ stock: 10, reserved: 0 });
  });

  it('releases what an order held when orders rejected it for waiting too long', async () => {
    const { service, repository, outbox } = await freshInventory();
    await service.putProduct('A', lamp);
    const placed = anOrderFor([{ sku: 'A', quantity: 4 }]);
    await service.onOrderPlaced(placed);

    const released = await service.onOrderWithdrawn(timeoutRejectionOf(placed));

    expect(released).toBe('released');
    expect(await repository.getProduct('A')).toMatchObject({ stock: 10, reserved: 0 });
    expect((await outbox()).map((e) => e.type).sort()).toEqual(['StockReleased', 'StockReserved']);
  });

  it('reserves nothing for an order rejected before its OrderPlaced arrived (e.g. redriven from a dead-letter queue)', async () => {
    const { service, repository, outbox } = await freshInventory();
    await service.putProduct('A', lamp);
    const placed = anOrderFor([{ sku: 'A', quantity: 2 }]);

    const rejected = await service.onOrderWithdrawn(timeoutRejectionOf(placed));
    const late = await service.onOrderPlaced(placed);

    expect([rejected, late]).toEqual(['nothing-held', 'already-decided']);
    expect(await repository.getProduct('A')).toMatchObject({ stock: 10, reserved: 0 });
    expect(await outbox()).toEqual([]);
  });
});

describe('ending holds with the payment on DynamoDB Local', () => {
  /** A lamp in stock and one order holding 3 of them. */
  async function heldOrder() {
    const inventory = await freshInventory();
    await inventory.service.putProduct('A', lamp);
    const placed = anOrderFor([{ sku: 'A', quantity: 3 }]);
    await inventory.service.onOrderPlaced(placed);
    return { ...inventory, placed };
  }

  /** Ten orders each holding 2 of 40 lamps, then each order's messages delivered all at once. */
  async function race(messagesOf: (service: InventoryService, placed: OrderPlacedV1) => Promise<string>[]) {
    const inventory = await freshInventory();
    await inventory.service.putProduct('A', { ...lamp, stock: 40 });
    const orders = Array.from({ length: 10 }, () => anOrderFor([{ sku: 'A', quantity: 2 }]));
    await Promise.all(orders.map((placed) => inventory.service.onOrderPlaced(placed)));
    const outcomes = await Promise.all(orders.map((placed) => Promise.all(messagesOf(inventory.service, placed))));
    return { ...inventory, orders, outcomes };
  }

  it('holds each line at the product price and publishes it in StockReserved v2', async () => {
    const { tableName, outbox, placed } = await heldOrder();

    const [reserved] = await outbox();
    const record = (await documents.send(new ScanCommand({ TableName: tableName }))).Items?.find((i) => i.entityType === 'RESERVATION');

    const held = [{ sku: 'A', quantity: 3, unitPrice: 1999, currency: 'EUR' }];
    expect(reserved).toMatchObject({ type: 'StockReserved', version: 2, data: { orderId: placed.data.orderId, lines: held } });
    expect(record).toMatchObject({ status: 'RESERVED', lines: held });
  });

  it('holds nothing at a price the product no longer has', async () => {
    const { service, repository, outbox } = await freshInventory();
    await service.putProduct('A', lamp);
    const placed = anOrderFor([{ sku: 'A', quantity: 1 }]);
    const stale = [{ sku: 'A', quantity: 1, unitPrice: 1499, currency: 'EUR' }];

    const outcome = await repository.reserve(placed.data.orderId, stale, stockReserved(placed, stale, ids()));

    expect(outcome).toBe('product-changed');
    expect(await repository.getProduct('A')).toMatchObject({ stock: 10, reserved: 0 });
    expect(await outbox()).toEqual([]);
  });

  it('sells what a paid order holds once, however often the capture arrives, and publishes nothing for it', async () => {
    const { service, repository, outbox, placed } = await heldOrder();

    const outcomes = [await service.onPaymentCaptured(captureOf(placed)), await service.onPaymentCaptured(captureOf(placed))];

    expect(outcomes).toEqual(['sold', 'already-decided']);
    expect(await repository.getProduct('A')).toMatchObject({ stock: 7, reserved: 0, sold: 3 });
    expect((await outbox()).map((e) => e.type)).toEqual(['StockReserved']);
  });

  it('releases what an order whose payment failed holds, once, with StockReleased', async () => {
    const { service, repository, outbox, placed } = await heldOrder();

    const outcomes = [await service.onOrderWithdrawn(paymentFailureOf(placed)), await service.onOrderWithdrawn(paymentFailureOf(placed))];

    expect(outcomes).toEqual(['released', 'already-decided']);
    expect(await repository.getProduct('A')).toMatchObject({ stock: 10, reserved: 0, sold: 0 });
    expect((await outbox()).map((e) => e.type).sort()).toEqual(['StockReleased', 'StockReserved']);
  });

  it('changes nothing for a capture of an order whose hold was released by a cancel', async () => {
    const { service, repository, placed } = await heldOrder();
    await service.onOrderWithdrawn(cancellationOf(placed));

    const late = await service.onPaymentCaptured(captureOf(placed));

    expect(late).toBe('already-decided');
    expect(await repository.getProduct('A')).toMatchObject({ stock: 10, reserved: 0, sold: 0 });
  });

  it('changes nothing for a cancel or a failed payment of an order already sold', async () => {
    const { service, repository, outbox, placed } = await heldOrder();
    await service.onPaymentCaptured(captureOf(placed));

    const late = [await service.onOrderWithdrawn(cancellationOf(placed)), await service.onOrderWithdrawn(paymentFailureOf(placed))];

    expect(late).toEqual(['already-decided', 'already-decided']);
    expect(await repository.getProduct('A')).toMatchObject({ stock: 7, reserved: 0, sold: 3 });
    expect((await outbox()).map((e) => e.type)).toEqual(['StockReserved']);
  });

  it('ends each hold exactly one way when captures, failures, cancels and redeliveries race, and loses no unit', async () => {
    const { repository, outbox, outcomes } = await race((service, placed) => [
      service.onPaymentCaptured(captureOf(placed)),
      service.onOrderWithdrawn(cancellationOf(placed)),
      service.onOrderWithdrawn(paymentFailureOf(placed)),
      service.onPaymentCaptured(captureOf(placed)),
    ]);

    const endings = outcomes.map((perOrder) => perOrder.filter((o) => o === 'sold' || o === 'released'));
    expect(endings.every((ended) => ended.length === 1)).toBe(true);
    const soldOrders = endings.filter(([ended]) => ended === 'sold').length;
    const product = await repository.getProduct('A');
    expect(product).toMatchObject({ reserved: 0, sold: 2 * soldOrders, stock: 40 - 2 * soldOrders });
    expect((await outbox()).filter((e) => e.type === 'StockReleased')).toHaveLength(10 - soldOrders);
  });

  it('puts what a refunded order bought back in stock once, however often the refund arrives, with StockReleased', async () => {
    const { tableName, service, repository, outbox, placed } = await heldOrder();
    await service.onPaymentCaptured(captureOf(placed));
    await service.onOrderWithdrawn(cancellationOf(placed));

    const outcomes = [await service.onPaymentRefunded(refundOf(placed)), await service.onPaymentRefunded(refundOf(placed))];

    expect(outcomes).toEqual(['restocked', 'already-decided']);
    expect(await repository.getProduct('A')).toMatchObject({ stock: 10, reserved: 0, sold: 0 });
    expect((await outbox()).map((e) => e.type).sort()).toEqual(['StockReleased', 'StockReserved']);
    const record = (await documents.send(new ScanCommand({ TableName: tableName }))).Items?.find((i) => i.entityType === 'RESERVATION');
    expect(record).toMatchObject({ status: 'RESTOCKED', endedBy: captureOf(placed).id, restockedBy: refundOf(placed).id });
  });

  it('ends with the units in stock, not sold, when the refund arrives before the capture it undoes', async () => {
    const { service, repository, outbox, placed } = await heldOrder();

    const refunded = await service.onPaymentRefunded(refundOf(placed));
    const late = [await service.onPaymentCaptured(captureOf(placed)), await service.onOrderWithdrawn(cancellationOf(placed))];

    expect([refunded, ...late]).toEqual(['released', 'already-decided', 'already-decided']);
    expect(await repository.getProduct('A')).toMatchObject({ stock: 10, reserved: 0, sold: 0 });
    expect((await outbox()).map((e) => e.type).sort()).toEqual(['StockReleased', 'StockReserved']);
  });

  it('reserves nothing for an order whose refund arrived before it (e.g. redriven from a dead-letter queue)', async () => {
    const { service, repository } = await freshInventory();
    await service.putProduct('A', lamp);
    const placed = anOrderFor([{ sku: 'A', quantity: 2 }]);

    const refunded = await service.onPaymentRefunded(refundOf(placed));
    const late = await service.onOrderPlaced(placed);

    expect([refunded, late]).toEqual(['nothing-held', 'already-decided']);
    expect(await repository.getProduct('A')).toMatchObject({ stock: 10, reserved: 0, sold: 0 });
  });

  it('leaves every refunded order with its units in stock when captures, refunds, cancels and redeliveries race', async () => {
    const { repository, outbox, orders, outcomes } = await race((service, placed) => [
      service.onPaymentCaptured(captureOf(placed)),
      service.onPaymentRefunded(refundOf(placed)),
      service.onOrderWithdrawn(cancellationOf(placed)),
      service.onPaymentRefunded(refundOf(placed)),
      service.onPaymentCaptured(captureOf(placed)),
    ]);

    // Each order's units came back exactly once: released while held, or sold and then restocked.
    const count = (perOrder: string[], outcome: string) => perOrder.filter((o) => o === outcome).length;
    const ways = outcomes.map((perOrder) => ({
      back: count(perOrder, 'released') + count(perOrder, 'restocked'),
      soldThenRestocked: count(perOrder, 'sold') === count(perOrder, 'restocked'),
    }));
    expect(ways).toEqual(orders.map(() => ({ back: 1, soldThenRestocked: true })));
    expect(await repository.getProduct('A')).toMatchObject({ stock: 40, reserved: 0, sold: 0 });
    expect((await outbox()).filter((e) => e.type === 'StockReleased')).toHaveLength(orders.length);
  });

  it('counts a product stored before sales were recorded as having sold none, and sells from there', async () => {
    const { tableName, service, repository } = await freshInventory();
    await documents.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          PK: 'PRODUCT#OLD',
          SK: 'PRODUCT',
          entityType: 'PRODUCT',
          sku: 'OLD',
          ...lamp,
          reserved: 0,
          updatedAt: '2026-01-01T00:00:00.000Z',
        },
      }),
    );
    const placed = anOrderFor([{ sku: 'OLD', quantity: 1 }]);

    const before = await repository.getProduct('OLD');
    await service.onOrderPlaced(placed);
    await service.onPaymentCaptured(captureOf(placed));

    expect(before).toMatchObject({ stock: 10, reserved: 0, sold: 0 });
    expect(await repository.getProduct('OLD')).toMatchObject({ stock: 9, reserved: 0, sold: 1 });
  });
});

describe('products on DynamoDB Local', () => {
  it('adjusts stock by a signed delta but never below zero', async () => {
    const { service } = await freshInventory();
    await service.putProduct('A', { ...lamp, stock: 3 });

    const after = await service.adjustStock('A', -2, 'damaged in store');
    const tooMuch = service.adjustStock('A', -2, 'more damage');

    expect(after.stock).toBe(1);
    await expect(tooMuch).rejects.toBeInstanceOf(StockWouldGoNegativeError);
    await expect(service.adjustStock('NOPE', 1, 'found one')).rejects.toBeInstanceOf(ProductNotFoundError);
  });

  it('keeps units reserved for orders and sold when the catalog is re-uploaded', async () => {
    const { service, repository } = await freshInventory();
    await service.putProduct('A', lamp);
    const paid = anOrderFor([{ sku: 'A', quantity: 1 }]);
    await service.onOrderPlaced(paid);
    await service.onPaymentCaptured(captureOf(paid));
    await service.onOrderPlaced(anOrderFor([{ sku: 'A', quantity: 4 }]));

    await service.putProduct('A', { ...lamp, price: 2499, stock: 20 });

    expect(await repository.getProduct('A')).toMatchObject({ price: 2499, stock: 20, reserved: 4, sold: 1 });
  });

  it('lists products page by page, in SKU order', async () => {
    const { service } = await freshInventory();
    for (const sku of ['C', 'A', 'B']) await service.putProduct(sku, lamp);

    const first = await service.listProducts({ limit: 2 });
    const second = await service.listProducts({ limit: 2, ...(first.nextCursor ? { cursor: first.nextCursor } : {}) });

    expect([...first.items, ...second.items].map((p) => p.sku)).toEqual(['A', 'B', 'C']);
  });

  // Volume is the unit tests' job (20,000 rows streamed, a bounded stretch read ahead); here every write is real,
  // and DynamoDB Local takes them one at a time (~2 ms each), so ten full batches and a partial one prove the writer.
  it('imports a catalog of many batches in one pass: every row lands, the last partial batch too', async () => {
    const { tableName, repository } = await freshInventory();
    const rows = 1_050;
    async function* file() {
      yield 'sku,name,price,currency,stock\n';
      for (let i = 0; i < rows; i++) yield `BULK-${String(i).padStart(5, '0')},Item ${i},${100 + i},EUR,${i % 50}\n`;
    }

    const result = await importCatalog('imports/bulk.csv', csvRows(Readable.from(file())), catalogWriter(documents, tableName));

    expect(result).toMatchObject({ rows, imported: rows, rejected: 0 });
    const stored = await documents.send(new ScanCommand({ TableName: tableName, ConsistentRead: true, Select: 'COUNT' }));
    expect(stored.Count).toBe(rows);
    expect(await repository.getProduct('BULK-00000')).toMatchObject({ price: 100, stock: 0, reserved: 0 });
    expect(await repository.getProduct('BULK-01049')).toMatchObject({ price: 1_149, stock: 49, reserved: 0 });
  });
});
