import { DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { Order, OrderEvent, parseWith, type Schema } from '@storefront/contracts';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { aLambdaContext, anSqsEvent, anSqsRecordFromTopic, aStockReserved, callHttp, TEST_PAGE_CURSOR_KEY } from '@storefront/testing';

/**
 * What every reader of the orders topic parses a message with: the relay
 * before it publishes (apps/orders publish-events), inventory's reserveStock
 * and notifications' notifyCustomers (sqsEventHandler(OrderEvent, …) both).
 * Change an entry here when a consumer changes its schema.
 */
const READERS: Record<string, Schema> = {
  'orders outbox relay': OrderEvent,
  'inventory reserveStock': OrderEvent,
  'notifications notifyCustomers': OrderEvent,
};

const dynamo = mockClient(DynamoDBDocumentClient);
const handlers = {} as {
  placeOrder: typeof import('../../src/handlers/place-order').handler;
  cancelOrder: typeof import('../../src/handlers/cancel-order').handler;
  resolveStaleOrders: typeof import('../../src/handlers/resolve-stale-orders').handler;
  applyInventoryOutcome: typeof import('../../src/handlers/apply-inventory-outcome').handler;
};

beforeAll(async () => {
  process.env.ORDERS_TABLE = 'orders-test';
  process.env.PAGE_CURSOR_KEY = TEST_PAGE_CURSOR_KEY;
  process.env.PENDING_TIMEOUT_SECONDS = '1';
  handlers.placeOrder = (await import('../../src/handlers/place-order')).handler;
  handlers.cancelOrder = (await import('../../src/handlers/cancel-order')).handler;
  handlers.resolveStaleOrders = (await import('../../src/handlers/resolve-stale-orders')).handler;
  handlers.applyInventoryOutcome = (await import('../../src/handlers/apply-inventory-outcome')).handler;
});

afterAll(() => {
  dynamo.restore();
  delete process.env.PENDING_TIMEOUT_SECONDS;
});

// Generated values carry whether they are well formed, so the model below never re-implements the field rules.
type Tagged<T> = { value: T; wellFormed: boolean };
const good = <T>(arbitrary: fc.Arbitrary<T>) => arbitrary.map((value): Tagged<T> => ({ value, wellFormed: true }));
const bad = <T>(arbitrary: fc.Arbitrary<T>) => arbitrary.map((value): Tagged<T> => ({ value, wellFormed: false }));

// A few SKUs come up often, so duplicates are common; the rest are any valid SKU.
const sku = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('ABC', 'SKU-1', 'a.b_c-9') },
  { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z0-9._-]{1,64}$/) },
);
const oddSku = fc.constantFrom('', 'with space', 'ünï', 'x'.repeat(65), '../etc', 'a/b', 'A\n');
const quantity = fc.oneof(fc.integer({ min: 1, max: 1500 }), fc.constantFrom(1, 499, 500, 501, 999, 1000, 1001));
const line: fc.Arbitrary<Tagged<unknown>> = fc.oneof(
  { weight: 12, arbitrary: good(fc.record({ sku, quantity })) },
  {
    weight: 1,
    arbitrary: bad(
      fc.oneof(
        fc.record({ sku: oddSku, quantity: fc.constant(1) }),
        fc.record({ sku, quantity: fc.constantFrom<unknown>(0, -1, 1.5, '3', null) }),
        fc.record({ sku }),
      ),
    ),
  },
);
// Near the SKU limit: 45 to 55 distinct SKUs, some repeated.
const manyDistinctSkus = fc.tuple(fc.integer({ min: 45, max: 55 }), fc.integer({ min: 0, max: 10 })).map(([distinct, repeats]) =>
  Array.from({ length: distinct + repeats }, (_, i): Tagged<unknown> => ({
    value: { sku: `MANY-${i % distinct}`, quantity: 1 },
    wellFormed: true,
  })),
);
const request = fc.record({
  customerId: fc.oneof({ weight: 9, arbitrary: good(fc.constantFrom('customer-1', 'c')) }, { weight: 1, arbitrary: bad(fc.constant('')) }),
  currency: fc.oneof({ weight: 9, arbitrary: good(fc.constant('EUR')) }, { weight: 1, arbitrary: bad(fc.constantFrom('eur', 'EURO')) }),
  paymentMethod: fc.oneof(
    { weight: 9, arbitrary: good(fc.constantFrom('pm_card_visa', 'pm_card_chargeDeclined')) },
    { weight: 1, arbitrary: bad(fc.constantFrom<unknown>(undefined, '', '4242424242424242', 'pm_')) },
  ),
  // What inventory holds each unit at (minor units), when it holds the order.
  unitPrice: fc.oneof(fc.integer({ min: 0, max: 1_000_000 }), fc.constantFrom(0, 1, 999_999_999)),
  lines: fc.oneof({ weight: 4, arbitrary: fc.array(line, { maxLength: 12 }) }, { weight: 1, arbitrary: manyDistinctSkus }),
});
type GeneratedRequest = typeof request extends fc.Arbitrary<infer R> ? R : never;

/** The model: the order rule, stated once more independently of the code under test. */
function ruleAllows(generated: GeneratedRequest): boolean {
  const fields = [generated.customerId, generated.currency, generated.paymentMethod, ...generated.lines];
  if (!fields.every((field) => field.wellFormed)) return false;
  const totals = new Map<string, number>();
  for (const { value } of generated.lines) {
    const { sku, quantity } = value as { sku: string; quantity: number };
    totals.set(sku, (totals.get(sku) ?? 0) + quantity);
  }
  return totals.size >= 1 && totals.size <= 50 && [...totals.values()].every((total) => total <= 1000);
}

const bodyOf = (generated: GeneratedRequest) => ({
  customerId: generated.customerId.value,
  currency: generated.currency.value,
  paymentMethod: generated.paymentMethod.value,
  lines: generated.lines.map((l) => l.value),
});

/** The outbox events of every transaction written so far, as a reader receives them: JSON off the wire. */
const outboxEvents = () =>
  dynamo
    .commandCalls(TransactWriteCommand)
    .flatMap((call) => call.args[0].input.TransactItems ?? [])
    .map((item) => item.Put?.Item)
    .filter((item) => item?.entityType === 'OUTBOX_EVENT')
    .map((item) => JSON.parse(JSON.stringify(item?.event)));

function expectEveryReaderAccepts(event: unknown) {
  for (const [reader, schema] of Object.entries(READERS)) {
    const parsed = parseWith(schema, event);
    if (!parsed.success) throw new Error(`${reader} refuses ${JSON.stringify(event)}: ${JSON.stringify(parsed.issues)}`);
  }
}

describe('the order rule, over many generated requests', () => {
  it('accepts exactly what the rule allows; every event of an accepted order is readable by every consumer; the rest is a 400', async () => {
    const context = aLambdaContext({ functionName: 'applyInventoryOutcome' });
    let accepted = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(request, async (generated) => {
        dynamo.reset();
        dynamo.on(TransactWriteCommand).resolves({});

        // The customer signed in is the one the body names (an invalid one is refused before anyone is asked).
        const as = { customer: generated.customerId.value || 'customer-1' };
        const placed = await callHttp(handlers.placeOrder, { as, body: bodyOf(generated) });

        if (!ruleAllows(generated)) {
          refused++;
          expect(placed.status).toBe(400);
          expect(placed.json).toMatchObject({ type: 'urn:storefront:problem:invalid', status: 400 });
          expect(dynamo.calls()).toHaveLength(0);
          return;
        }
        accepted++;
        expect(placed.status).toBe(201);
        expect(parseWith(Order, placed.json).success).toBe(true);
        const [orderItem] = dynamo
          .commandCalls(TransactWriteCommand)
          .flatMap((call) => call.args[0].input.TransactItems ?? [])
          .map((item) => item.Put?.Item)
          .filter((item) => item?.entityType === 'ORDER');
        dynamo.on(GetCommand).resolves({ Item: orderItem });
        dynamo.on(QueryCommand).resolves({ Items: [] });
        dynamo
          .on(QueryCommand, { ExpressionAttributeValues: { ':status': 'PENDING' } })
          .resolves({ Items: [orderItem as Record<string, unknown>] });
        const held = aStockReserved({
          data: {
            orderId: placed.json.orderId,
            lines: placed.json.lines.map((l: { sku: string; quantity: number }) => ({
              ...l,
              unitPrice: generated.unitPrice,
              currency: 'EUR',
            })),
          },
        });

        // All from the PENDING order: inventory holding it, the customer's cancel, and the watchdog's rejection once it waited too long.
        const reserved = await handlers.applyInventoryOutcome(anSqsEvent(anSqsRecordFromTopic(held)), context);
        const cancelled = await callHttp(handlers.cancelOrder, { as, pathParameters: { orderId: placed.json.orderId } });
        const resolved = await handlers.resolveStaleOrders({}, aLambdaContext({ functionName: 'resolve', awsRequestId: 'run-1' }));

        expect(reserved).toEqual({ batchItemFailures: [] });
        expect(cancelled.status).toBe(200);
        expect(resolved.resolved).toEqual([placed.json.orderId]);
        const events = outboxEvents();
        expect(events.map((e) => e.type)).toEqual(['OrderPlaced', 'OrderReserved', 'OrderCancelled', 'OrderRejected']);
        events.forEach(expectEveryReaderAccepts);
      }),
      { seed: 20260301, numRuns: 400 },
    );
    // The generators must reach both sides of the rule, or the property proves little.
    expect(accepted).toBeGreaterThan(50);
    expect(refused).toBeGreaterThan(50);
  });

  it('names the rule when lines for one SKU add up to more than it allows', async () => {
    dynamo.reset();

    const refused = await callHttp(handlers.placeOrder, {
      as: { customer: 'customer-1' },
      body: {
        customerId: 'customer-1',
        currency: 'EUR',
        paymentMethod: 'pm_card_visa',
        lines: [
          { sku: 'ABC', quantity: 600 },
          { sku: 'ABC', quantity: 600 },
        ],
      },
    });

    expect(refused.status).toBe(400);
    expect(refused.headers['content-type']).toBe('application/problem+json');
    expect(refused.json.errors).toEqual([{ path: 'body.lines', message: 'SKU ABC totals 1200 units; at most 1000 per SKU' }]);
    expect(refused.json.detail).toContain('SKU ABC totals 1200 units; at most 1000 per SKU');
  });
});
