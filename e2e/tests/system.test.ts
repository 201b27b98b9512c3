import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Agent, request as httpRequest } from 'node:http';
import { join } from 'node:path';
import {
  CreateTopicCommand,
  DeleteTopicCommand,
  GetSubscriptionAttributesCommand,
  ListSubscriptionsByTopicCommand,
  ListTopicsCommand,
  SNSClient,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import { GetObjectCommand, ListBucketsCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import {
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { anOrderPlaced } from '@storefront/testing';
import { whilePaymentsStall } from '../support/payment-provider';
import { eventually, request, type TrailEntry } from '../support/http';
import { PENDING_TIMEOUT_SECONDS, sharedLocalStack, type SharedStack } from '../support/shared-stack';
import { authorizationFor } from '../support/tokens';

const workspaceRoot = join(import.meta.dirname, '../..');
let stack: SharedStack;
let sns: SNSClient;
let sqs: SQSClient;
let s3: S3Client;
let dynamo: DynamoDBDocumentClient;

beforeAll(async () => {
  stack = await sharedLocalStack();
  const config = {
    endpoint: stack.endpoints.messaging,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  };
  sns = new SNSClient(config);
  sqs = new SQSClient(config);
  s3 = new S3Client({ ...config, forcePathStyle: true });
  dynamo = DynamoDBDocumentClient.from(new DynamoDBClient({ ...config, endpoint: stack.endpoints.dynamodb }));
}, 180_000);

afterAll(async () => {
  sns?.destroy();
  sqs?.destroy();
  s3?.destroy();
  dynamo?.destroy();
});

const trail = async (correlationId: string) =>
  (await request<TrailEntry[]>(stack.baseUrl, 'GET', `/_local/trail?correlationId=${correlationId}`)).body;
/** The order once inventory has answered (it left PENDING), read by its customer. */
const settled = (orderId: string, customerId: string) =>
  eventually(
    async () => {
      const current = await request(stack.baseUrl, 'GET', `/orders/${orderId}`, { as: { customer: customerId } });
      return current.body.status === 'PENDING' ? undefined : current.body;
    },
    { what: `order ${orderId} to leave PENDING` },
  );

/** Who may run the catalogue: product writes take an admin's token. */
const putProduct = (sku: string, product: Record<string, unknown>) =>
  request(stack.baseUrl, 'PUT', `/products/${sku}`, { body: product, as: 'admin' });
/** A customer's order, placed with that customer's token: the order's customer is the token's subject. */
const placeOrder = (body: { customerId: string } & Record<string, unknown>, headers: Record<string, string> = {}) =>
  request(stack.baseUrl, 'POST', '/orders', { body, headers, as: { customer: body.customerId } });
const asCustomer = (customerId: string) => ({ as: { customer: customerId } });

const anOrder = (customerId: string, lines = [{ sku: 'SKU-1', quantity: 2 }]) => ({
  customerId,
  currency: 'EUR',
  paymentMethod: 'pm_card_visa',
  lines,
});

const ORDERS_TOPIC = 'storefront-local-orders';

/** A topic's ARN and its subscriptions with their attributes, read from the emulator like any SNS client would. */
async function topicWithSubscriptions(name: string) {
  const { Topics = [] } = await sns.send(new ListTopicsCommand({}));
  const topicArn = Topics.map((t) => t.TopicArn ?? '').find((arn) => arn.endsWith(`:${name}`));
  const { Subscriptions = [] } = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }));
  const subscriptions = await Promise.all(
    Subscriptions.map(async ({ SubscriptionArn, Protocol, Endpoint }) => {
      const { Attributes = {} } = await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }));
      return { Protocol, Endpoint, Attributes };
    }),
  );
  return { topicArn, subscriptions };
}

/** Queues subscribed to the orders topic whose filter lets `eventType` through. */
async function queuesSubscribedTo(eventType: string) {
  const { subscriptions } = await topicWithSubscriptions(ORDERS_TOPIC);
  return subscriptions
    .filter(({ Protocol, Attributes }) => {
      const accepted = Attributes.FilterPolicy ? (JSON.parse(Attributes.FilterPolicy).eventType as string[] | undefined) : undefined;
      return Protocol === 'sqs' && (!accepted || accepted.includes(eventType));
    })
    .map(({ Endpoint }) => Endpoint?.split(':').at(-1) ?? '');
}

/** Deletes a topic, so publishing to it fails as if it did not exist yet; answers how to bring it back as it was. */
async function takeTopicAway(name: string) {
  const { topicArn, subscriptions } = await topicWithSubscriptions(name);
  await sns.send(new DeleteTopicCommand({ TopicArn: topicArn }));
  return async () => {
    await sns.send(new CreateTopicCommand({ Name: name }));
    for (const { Protocol, Endpoint, Attributes } of subscriptions) {
      const kept = ['FilterPolicy', 'FilterPolicyScope', 'RawMessageDelivery', 'RedrivePolicy'].filter(
        (key) => Attributes[key] !== undefined,
      );
      await sns.send(
        new SubscribeCommand({
          TopicArn: topicArn,
          Protocol,
          Endpoint,
          Attributes: Object.fromEntries(kept.map((key) => [key, Attributes[key] as string])),
        }),
      );
    }
  };
}

const dlq = (...args: string[]) =>
  execFileSync(process.execPath, ['tools/local-cloud/src/cli/dlq.ts', '--base-port', String(stack.basePort), ...args], {
    cwd: workspaceRoot,
    encoding: 'utf8',
  });

const messagesOn = async (queueName: string) => {
  const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: queueName }));
  const { Attributes = {} } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }));
  return Number(Attributes.ApproximateNumberOfMessages ?? 0);
};

/** Sends a request on a given agent's connection and reads the answer; fetch cannot show which connection it used. */
function onConnection(agent: Agent, method: string, path: string, body?: Buffer | string, extraHeaders: Record<string, string> = {}) {
  return new Promise<{ status: number; contentType?: string; socket: unknown }>((resolve, reject) => {
    const headers = {
      ...extraHeaders,
      'content-type': 'application/json',
      ...(body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) }),
    };
    const sent = httpRequest(new URL(path, stack.baseUrl), { method, agent, headers }, (answer) => {
      answer.resume();
      answer.on('end', () => resolve({ status: answer.statusCode ?? 0, contentType: answer.headers['content-type'], socket: sent.socket }));
    });
    sent.on('error', reject);
    sent.end(body);
  });
}

describe('the local system, end to end', () => {
  it('serves every service behind one gateway', async () => {
    const orders = await request(stack.baseUrl, 'GET', '/customers/nobody/orders', asCustomer('nobody'));
    const notifications = await request(stack.baseUrl, 'GET', '/customers/nobody/notifications', asCustomer('nobody'));
    const products = await request(stack.baseUrl, 'GET', '/products');

    expect([orders.status, notifications.status, products.status]).toEqual([200, 200, 200]);
    expect(orders.body).toEqual({ items: [] });
    expect(notifications.body).toEqual({ items: [] });
  });

  it('places an order through the gateway; OrderPlaced reaches every subscribed queue and is consumed', async () => {
    const correlationId = randomUUID();

    const placed = await placeOrder(anOrder('e2e-customer-1'), { 'x-correlation-id': correlationId });

    expect(placed.status).toBe(201);
    expect(placed.body).toMatchObject({ status: 'PENDING', customerId: 'e2e-customer-1' });
    const subscribed = await queuesSubscribedTo('OrderPlaced');
    expect(subscribed.length).toBeGreaterThan(0);
    const entries = await eventually(
      async () => {
        const seen = await trail(correlationId);
        const consumedEverywhere = subscribed.every((queue) =>
          seen.some((e) => e.kind === 'consumed' && e.queue === queue && e.eventType === 'OrderPlaced'),
        );
        return consumedEverywhere ? seen : undefined;
      },
      { what: 'OrderPlaced consumed from every subscribed queue' },
    );
    // Published once, and nothing else but inventory's answer (SKU-1 is not stocked), which may already have followed.
    const published = entries.filter((e) => e.kind === 'published').map((e) => e.eventType);
    expect([['OrderPlaced'], ['OrderPlaced', 'StockRejected']]).toContainEqual(published);
    for (const queue of subscribed) expect(entries.filter((e) => e.kind === 'delivered' && e.queue === queue)).toHaveLength(1);
    const notifications = await request(stack.baseUrl, 'GET', '/customers/e2e-customer-1/notifications', asCustomer('e2e-customer-1'));
    expect(notifications.body.items).toEqual([expect.objectContaining({ orderId: placed.body.orderId, kind: 'ORDER_CONFIRMATION' })]);
  });

  it('answers a retried Idempotency-Key with the original order, and refuses the key with another body', async () => {
    const key = randomUUID();
    const otherLines = anOrder('e2e-customer-2', [{ sku: 'SKU-1', quantity: 5 }]);

    const first = await placeOrder(anOrder('e2e-customer-2'), { 'idempotency-key': key });
    const retry = await placeOrder(anOrder('e2e-customer-2'), { 'idempotency-key': key });
    const misuse = await placeOrder(otherLines, { 'idempotency-key': key });

    expect(retry).toEqual(first);
    expect(misuse.status).toBe(409);
    expect(misuse.contentType).toBe('application/problem+json');
    const listed = await request(stack.baseUrl, 'GET', '/customers/e2e-customer-2/orders', asCustomer('e2e-customer-2'));
    expect(listed.body.items).toHaveLength(1);
  });

  it('reserves stock for an order it can fill: the order is RESERVED with its total, and OrderReserved goes out for payment', async () => {
    await putProduct('E2E-LAMP', { name: 'Lamp', price: 1999, currency: 'EUR', stock: 5 });
    const correlationId = randomUUID();

    // Payments stall meanwhile, so the order stays RESERVED instead of moving on to CONFIRMED.
    const { order, product } = await whilePaymentsStall(stack, async () => {
      const placed = await placeOrder(anOrder('e2e-customer-6', [{ sku: 'E2E-LAMP', quantity: 2 }]), { 'x-correlation-id': correlationId });
      const order = await settled(placed.body.orderId, 'e2e-customer-6');
      return { order, product: (await request(stack.baseUrl, 'GET', '/products/E2E-LAMP')).body };
    });

    expect(order.status).toBe('RESERVED');
    expect(order).toMatchObject({ paymentMethod: 'pm_card_visa', total: { amount: 3998, currency: 'EUR' } });
    expect(product).toMatchObject({ stock: 3, reserved: 2, sold: 0 });
    await eventually(
      async () => ((await trail(correlationId)).some((e) => e.kind === 'published' && e.eventType === 'OrderReserved') ? true : undefined),
      { what: 'OrderReserved published on the orders topic' },
    );
  });

  it('rejects an order for a product priced in another currency (CURRENCY_MISMATCH), and inventory lets go of it', async () => {
    await putProduct('E2E-IMPORT', { name: 'Import', price: 2500, currency: 'USD', stock: 3 });

    const placed = await placeOrder(anOrder('e2e-customer-11', [{ sku: 'E2E-IMPORT', quantity: 2 }]));

    const order = await settled(placed.body.orderId, 'e2e-customer-11');
    expect(order).toMatchObject({ status: 'REJECTED', statusReason: 'CURRENCY_MISMATCH' });
    expect(order).not.toHaveProperty('total');
    const product = await eventually(
      async () => {
        const current = (await request(stack.baseUrl, 'GET', '/products/E2E-IMPORT')).body;
        return current.reserved === 0 ? current : undefined;
      },
      { what: 'inventory to release the mismatched order' },
    );
    expect(product).toMatchObject({ stock: 3, reserved: 0, sold: 0 });
  });

  it('rejects an order for more than is in stock, naming the SKU, and holds nothing', async () => {
    await putProduct('E2E-RARE', { name: 'Rare vase', price: 99999, currency: 'EUR', stock: 1 });

    const placed = await placeOrder(anOrder('e2e-customer-7', [{ sku: 'E2E-RARE', quantity: 3 }]));

    const order = await settled(placed.body.orderId, 'e2e-customer-7');
    expect(order.status).toBe('REJECTED');
    expect(order.rejectionReasons).toEqual([{ sku: 'E2E-RARE', reason: 'INSUFFICIENT_STOCK', requested: 3, available: 1 }]);
    expect((await request(stack.baseUrl, 'GET', '/products/E2E-RARE')).body).toMatchObject({ stock: 1, reserved: 0 });
  });

  it('cancels a reserved order once: its stock comes back, the customer hears, a second cancel is a conflict', async () => {
    await putProduct('E2E-CHAIR', { name: 'Chair', price: 4999, currency: 'EUR', stock: 4 });
    const correlationId = randomUUID();

    // Payments stall meanwhile, so the order is still RESERVED (not yet paid, so it may be cancelled) when cancelled.
    const { cancelled, again } = await whilePaymentsStall(stack, async () => {
      const placed = await placeOrder(anOrder('e2e-customer-3', [{ sku: 'E2E-CHAIR', quantity: 3 }]));
      expect((await settled(placed.body.orderId, 'e2e-customer-3')).status).toBe('RESERVED');
      const cancelled = await request(stack.baseUrl, 'POST', `/orders/${placed.body.orderId}/cancel`, {
        headers: { 'x-correlation-id': correlationId },
        ...asCustomer('e2e-customer-3'),
      });
      const again = await request(stack.baseUrl, 'POST', `/orders/${placed.body.orderId}/cancel`, asCustomer('e2e-customer-3'));
      return { cancelled, again };
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('CANCELLED');
    expect(again.status).toBe(409);
    await eventually(async () => ((await request(stack.baseUrl, 'GET', '/products/E2E-CHAIR')).body.stock === 4 ? true : undefined), {
      what: 'the stock to come back',
    });
    expect((await request(stack.baseUrl, 'GET', '/products/E2E-CHAIR')).body).toMatchObject({ stock: 4, reserved: 0 });
    await eventually(
      async () => ((await trail(correlationId)).some((e) => e.kind === 'published' && e.eventType === 'StockReleased') ? true : undefined),
      {
        what: 'StockReleased',
      },
    );
    const notifications = await request(stack.baseUrl, 'GET', '/customers/e2e-customer-3/notifications', asCustomer('e2e-customer-3'));
    expect(notifications.body.items.map((n: { kind: string }) => n.kind).sort()).toEqual(['ORDER_CANCELLATION', 'ORDER_CONFIRMATION']);
  });

  it('imports a CSV uploaded to the imports bucket: good rows in, a result file names the bad line', async () => {
    const { Buckets = [] } = await s3.send(new ListBucketsCommand({}));
    const bucket = Buckets.map((b) => b.Name ?? '').find((name) => name.startsWith('storefront-local-imports-'));
    const csv = [
      'sku,name,price,currency,stock',
      'E2E-CSV-1,Shelf,2999,EUR,7',
      'E2E-CSV-2,Desk,nope,EUR,1',
      'E2E-CSV-3,"Rug, wool",8999,EUR,2',
      '',
    ].join('\n');

    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'imports/e2e.csv', Body: csv, ContentType: 'text/csv' }));

    const result = await eventually(
      async () => {
        const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'imports/e2e.result.json' })).catch(() => undefined);
        return object ? JSON.parse(await object.Body!.transformToString()) : undefined;
      },
      { what: 'the import result file' },
    );
    expect(result).toMatchObject({ rows: 3, imported: 2, rejected: 1, errors: [{ line: 3, message: expect.stringContaining('price') }] });
    expect((await request(stack.baseUrl, 'GET', '/products/E2E-CSV-3')).body).toMatchObject({ name: 'Rug, wool', price: 8999, stock: 2 });
    expect((await request(stack.baseUrl, 'GET', '/products/E2E-CSV-2')).status).toBe(404);
  });

  it('consumes the good messages of a batch once and moves the poison one to the dead-letter queue', async () => {
    const correlationId = randomUUID();
    const queueName = 'storefront-notifications-local-order-events';
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: queueName }));
    const event = (n: number) =>
      anOrderPlaced({
        id: `${correlationId}-${n}`,
        occurredAt: new Date().toISOString(),
        source: 'e2e',
        correlationId,
        data: { orderId: `order-${n}`, customerId: 'e2e-customer-4', lines: [{ sku: 'SKU-1', quantity: 1 }] },
      });
    const bodies = [JSON.stringify(event(1)), '{"this is":"not an order event"}', JSON.stringify(event(2)), JSON.stringify(event(3))];

    const sent = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl,
        Entries: bodies.map((MessageBody, i) => ({
          Id: String(i),
          MessageBody,
          MessageAttributes: { correlationId: { DataType: 'String', StringValue: correlationId } },
        })),
      }),
    );

    const ids = (sent.Successful ?? []).sort((a, b) => Number(a.Id) - Number(b.Id)).map((s) => s.MessageId);
    const poisonId = ids[1];
    const goodIds = ids.filter((id) => id !== poisonId);
    const entries = await eventually(
      async () => {
        const seen = await trail(correlationId);
        return seen.some((e) => e.kind === 'dead-lettered' && e.messageId === poisonId) ? seen : undefined;
      },
      { timeoutMs: 30_000, what: 'the poison message to be dead-lettered' },
    );
    for (const id of goodIds) {
      expect(entries.filter((e) => e.kind === 'delivered' && e.messageId === id)).toHaveLength(1);
      expect(entries.filter((e) => e.kind === 'consumed' && e.messageId === id)).toHaveLength(1);
    }
    expect(entries.filter((e) => e.kind === 'consumed' && e.messageId === poisonId)).toEqual([]);
    const { QueueUrl: deadLetterUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: `${queueName}-dlq` }));
    const parked = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: deadLetterUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, VisibilityTimeout: 0 }),
    );
    expect(parked.Messages?.map((m) => m.Body)).toEqual([bodies[1]]);
    const notifications = await request(stack.baseUrl, 'GET', '/customers/e2e-customer-4/notifications', asCustomer('e2e-customer-4'));
    expect(notifications.body.items.map((n: { orderId: string }) => n.orderId).sort()).toEqual(['order-1', 'order-2', 'order-3']);
  });

  it('lists dead-letter queues and moves their messages back for another try', async () => {
    // Inventory's queue: no other test parks messages in its dead-letter queue.
    const queueName = 'storefront-inventory-local-order-events';
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: queueName }));
    const correlationId = randomUUID();
    await sqs.send(
      new SendMessageCommand({
        QueueUrl,
        MessageBody: 'not even JSON',
        MessageAttributes: { correlationId: { DataType: 'String', StringValue: correlationId } },
      }),
    );
    await eventually(async () => ((await trail(correlationId)).some((e) => e.kind === 'dead-lettered') ? true : undefined), {
      timeoutMs: 30_000,
      what: 'the message to be dead-lettered',
    });

    const listing = dlq();
    const moved = dlq('--redrive', `${queueName}-dlq`);

    expect(listing).toMatch(new RegExp(`${queueName}-dlq\\s+1\\s+${queueName} \\(3\\)`));
    expect(moved).toContain(`moved 1 message(s) from ${queueName}-dlq back to ${queueName}`);
    await eventually(
      async () =>
        (await trail(correlationId)).filter((e) => e.kind === 'delivered' && e.queue === queueName).length === 2 ? true : undefined,
      {
        what: 'the message to be delivered to its queue again',
      },
    );
  });

  it('rejects an order whose OrderPlaced inventory dead-lettered once it waited too long; the redriven OrderPlaced holds nothing', async () => {
    const run = (tool: string, ...args: string[]) =>
      execFileSync(process.execPath, [`tools/local-cloud/src/cli/${tool}.ts`, '--base-port', String(stack.basePort), ...args], {
        cwd: workspaceRoot,
        encoding: 'utf8',
      });
    // A product whose stock is not a number makes inventory fail on every try, as a bug would.
    await dynamo.send(
      new PutCommand({
        TableName: 'storefront-inventory-local-inventory',
        Item: {
          PK: 'PRODUCT#E2E-BROKEN',
          SK: 'PRODUCT',
          entityType: 'PRODUCT',
          sku: 'E2E-BROKEN',
          name: 'Broken',
          price: 100,
          currency: 'EUR',
          stock: 'not a number',
          reserved: 0,
          updatedAt: new Date().toISOString(),
        },
      }),
    );
    const correlationId = randomUUID();
    const placed = await placeOrder(anOrder('e2e-customer-10', [{ sku: 'E2E-BROKEN', quantity: 1 }]), {
      'x-correlation-id': correlationId,
    });
    const orderId = placed.body.orderId;
    await eventually(
      async () => ((await trail(correlationId)).some((e) => e.kind === 'dead-lettered' && e.service === 'inventory') ? true : undefined),
      { timeoutMs: 30_000, what: "inventory to dead-letter the order's OrderPlaced" },
    );
    expect((await request(stack.baseUrl, 'GET', `/orders/${orderId}`, asCustomer('e2e-customer-10'))).body.status).toBe('PENDING');

    // What the schedule does every five minutes, now; the order must first be older than the limit.
    const watchdog = await eventually(
      async () => {
        const answer = JSON.parse(run('invoke', 'resolveStaleOrders'));
        return answer.resolved.includes(orderId) ? answer : undefined;
      },
      { timeoutMs: (PENDING_TIMEOUT_SECONDS + 20) * 1000, intervalMs: 1000, what: 'the watchdog to resolve the order' },
    );

    const order = (await request(stack.baseUrl, 'GET', `/orders/${orderId}`, asCustomer('e2e-customer-10'))).body;
    expect(order).toMatchObject({ status: 'REJECTED', statusReason: 'RESERVATION_TIMEOUT' });
    await eventually(
      async () =>
        (await trail(watchdog.correlationId)).some(
          (e) => e.kind === 'consumed' && e.eventType === 'OrderRejected' && e.service === 'inventory',
        )
          ? true
          : undefined,
      { what: 'inventory to take in OrderRejected' },
    );

    // The product is repaired and the dead-lettered OrderPlaced tried again: inventory must refuse it now.
    await putProduct('E2E-BROKEN', { name: 'Broken', price: 100, currency: 'EUR', stock: 5 });
    run('dlq', '--redrive', 'storefront-inventory-local-order-events-dlq');
    await eventually(
      async () =>
        (await trail(correlationId)).some((e) => e.kind === 'consumed' && e.eventType === 'OrderPlaced' && e.service === 'inventory')
          ? true
          : undefined,
      { what: 'inventory to take in the redriven OrderPlaced' },
    );
    expect((await request(stack.baseUrl, 'GET', '/products/E2E-BROKEN')).body).toMatchObject({ stock: 5, reserved: 0 });
    expect((await trail(correlationId)).filter((e) => e.kind === 'published').map((e) => e.eventType)).toEqual(['OrderPlaced']);
    expect((await request(stack.baseUrl, 'GET', `/orders/${orderId}`, asCustomer('e2e-customer-10'))).body).toMatchObject({
      status: 'REJECTED',
      statusReason: 'RESERVATION_TIMEOUT',
    });
  }, 90_000);

  it('parks an event the outbox could not publish on its failure queue, and redriving it publishes the event', async () => {
    const failureQueue = 'storefront-orders-local-outbox-failed';
    const correlationId = randomUUID();
    const restoreTopic = await takeTopicAway(ORDERS_TOPIC);
    let placed;
    try {
      placed = await placeOrder(anOrder('e2e-customer-8'), { 'x-correlation-id': correlationId });
      await eventually(async () => ((await messagesOn(failureQueue)) > 0 ? true : undefined), {
        timeoutMs: 60_000,
        what: 'the relay to give up on the event',
      });
    } finally {
      await restoreTopic();
    }

    const listing = dlq();
    const shown = dlq('--show', failureQueue);
    const redriven = dlq('--redrive', failureQueue);

    expect(placed.status).toBe(201);
    expect(listing).toMatch(
      new RegExp(`${failureQueue}\\s+1\\s+storefront-orders-local-publishEvents, stream of storefront-orders-local-orders`),
    );
    expect(shown).toMatch(/1 record\(s\) of shard \S+, \d+…\d+ {2}\(RetryAttemptsExhausted\)/);
    expect(redriven).toContain(
      `ran 1 stream record(s) of 1 failed batch(es) from ${failureQueue} through storefront-orders-local-publishEvents again`,
    );
    const published = await eventually(
      async () => ((await trail(correlationId)).filter((e) => e.kind === 'published').map((e) => e.eventType) as string[]).at(0),
      { what: 'the redriven event to be published' },
    );
    expect(published).toBe('OrderPlaced');
    expect((await settled(placed.body.orderId, 'e2e-customer-8')).status).not.toBe('PENDING');
    expect(await messagesOn(failureQueue)).toBe(0);
  });

  it('refuses a body that is not JSON or too large, and a malformed URL, as problem+json', async () => {
    const order = JSON.stringify(anOrder('e2e-customer-9'));
    const asText = await request(stack.baseUrl, 'POST', '/orders', {
      body: order,
      headers: { 'content-type': 'text/plain' },
      ...asCustomer('e2e-customer-9'),
    });
    const overRouteLimit = await placeOrder({ ...anOrder('e2e-customer-9'), note: 'x'.repeat(70 * 1024) });
    const overApiLimit = await request(stack.baseUrl, 'POST', '/orders', {
      body: `"${'x'.repeat(10 * 1024 * 1024)}"`,
      ...asCustomer('e2e-customer-9'),
    });
    const malformed = await request(stack.baseUrl, 'GET', '/orders/%E0%A4%A', asCustomer('e2e-customer-9'));

    expect([asText.status, asText.contentType]).toEqual([415, 'application/problem+json']);
    expect([overRouteLimit.status, overRouteLimit.contentType]).toEqual([413, 'application/problem+json']);
    expect(overRouteLimit.body.detail).toMatch(/at most 65536/);
    expect([overApiLimit.status, overApiLimit.contentType]).toEqual([413, 'application/problem+json']);
    expect(overApiLimit.body.detail).toMatch(/API's limit of 10485760 bytes/);
    expect(malformed.body).toMatchObject({ status: 400, title: 'Bad request', correlationId: expect.any(String) });
    expect((await request(stack.baseUrl, 'GET', '/customers/e2e-customer-9/orders', asCustomer('e2e-customer-9'))).body.items).toEqual([]);
  });

  it('keeps a keep-alive connection usable after refusing an oversized body', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const authorization = await authorizationFor(stack.baseUrl, { customer: 'nobody' });
      const refused = await onConnection(agent, 'POST', '/orders', Buffer.alloc(11 * 1024 * 1024, 'x'), authorization);
      const next = await onConnection(agent, 'GET', '/customers/nobody/orders', undefined, authorization);

      expect([refused.status, refused.contentType]).toEqual([413, 'application/problem+json']);
      expect(next.status).toBe(200);
      expect(next.socket).toBe(refused.socket);
    } finally {
      agent.destroy();
    }
  });

  it('answers bad input (here no payment method either) with problem+json and loses nothing', async () => {
    const invalid = await placeOrder({ customerId: 'e2e-customer-5', currency: 'euros', lines: [] });
    const unknownRoute = await request(stack.baseUrl, 'GET', '/no-such-thing');
    const unknownOrder = await request(stack.baseUrl, 'GET', `/orders/${randomUUID()}`, asCustomer('e2e-customer-5'));

    expect(invalid.status).toBe(400);
    expect(invalid.contentType).toBe('application/problem+json');
    expect(invalid.body.errors.map((e: { path: string }) => e.path)).toEqual(['body.currency', 'body.paymentMethod', 'body.lines']);
    expect(unknownRoute.status).toBe(404);
    expect(unknownRoute.contentType).toBe('application/problem+json');
    expect(unknownOrder.status).toBe(404);
    const listed = await request(stack.baseUrl, 'GET', '/customers/e2e-customer-5/orders', asCustomer('e2e-customer-5'));
    expect(listed.body.items).toEqual([]);
  });
});

describe('page cursors on every paginated route', () => {
  const customerA = `e2e-pages-a-${randomUUID()}`;
  const customerB = `e2e-pages-b-${randomUUID()}`;
  const routes = {
    orders: (customerId: string) => `/customers/${customerId}/orders`,
    notifications: (customerId: string) => `/customers/${customerId}/notifications`,
    products: () => '/products',
  };
  const idOf = (item: { orderId?: string; notificationId?: string; sku?: string }) => item.notificationId ?? item.orderId ?? item.sku;
  /** A page of a listing, read by the customer whose listing it is (the catalogue is public). */
  const page = (path: string, query: Record<string, string>) => {
    const owner = /^\/customers\/([^/]+)\//.exec(path)?.[1];
    return request(stack.baseUrl, 'GET', `${path}?${new URLSearchParams(query)}`, owner ? asCustomer(owner) : {});
  };
  /** The nextCursor of the first one-item page of a listing. */
  const firstCursor = async (path: string) => {
    const { body } = await page(path, { limit: '1' });
    expect(body.nextCursor).toEqual(expect.any(String));
    return body.nextCursor as string;
  };

  beforeAll(async () => {
    for (const customerId of [customerA, customerA, customerB]) await placeOrder(anOrder(customerId));
    for (const sku of ['E2E-PAGE-1', 'E2E-PAGE-2']) await putProduct(sku, { name: 'Page', price: 100, currency: 'EUR', stock: 1 });
    await eventually(async () => ((await page(routes.notifications(customerA), {})).body.items.length === 2 ? true : undefined), {
      what: `both notifications of ${customerA}`,
    });
  });

  it('walks each listing one item at a time with its nextCursor, missing nothing and repeating nothing', async () => {
    for (const path of [routes.orders(customerA), routes.notifications(customerA), routes.products()]) {
      const whole = (await page(path, { limit: '100' })).body.items.map(idOf);
      const walked: string[] = [];
      let cursor: string | undefined;
      do {
        const next = await page(path, { limit: '1', ...(cursor ? { cursor } : {}) });
        expect([path, next.status]).toEqual([path, 200]);
        walked.push(...next.body.items.map(idOf));
        cursor = next.body.nextCursor;
      } while (cursor && walked.length <= whole.length);

      expect([path, walked]).toEqual([path, whole]);
      expect(whole.length).toBeGreaterThanOrEqual(2);
    }
  });

  it('answers 400 problem+json to an edited, truncated, garbage or foreign cursor, on every paginated route', async () => {
    const genuine = {
      orders: await firstCursor(routes.orders(customerA)),
      notifications: await firstCursor(routes.notifications(customerA)),
      products: await firstCursor(routes.products()),
    };
    const edited = (cursor: string) => `${cursor.slice(0, 10)}${cursor[10] === 'A' ? 'B' : 'A'}${cursor.slice(11)}`;
    const unsignedKey = Buffer.from(JSON.stringify({ PK: 'ORDER#x', SK: 'ORDER', GSI1PK: `CUSTOMER#${customerB}`, GSI1SK: 'x' })).toString(
      'base64url',
    );
    const cases: [string, string, string][] = [];
    for (const [name, cursor] of Object.entries(genuine) as [keyof typeof routes, string][]) {
      const ownListing = routes[name](customerA);
      cases.push(
        [`${name}: an edited cursor`, ownListing, edited(cursor)],
        [`${name}: a truncated cursor`, ownListing, cursor.slice(0, -4)],
        [`${name}: a garbage cursor`, ownListing, 'not-a-cursor'],
        [`${name}: an unsigned key, as cursors used to be`, ownListing, unsignedKey],
      );
    }
    cases.push(
      ["orders: customer A's cursor on customer B's orders", routes.orders(customerB), genuine.orders],
      ["notifications: customer A's cursor on customer B's notifications", routes.notifications(customerB), genuine.notifications],
      ['notifications: a cursor of the orders listing', routes.notifications(customerA), genuine.orders],
      ['products: a cursor of a customer listing', routes.products(), genuine.notifications],
    );

    const answers = [];
    for (const [label, path, cursor] of cases) {
      const answer = await page(path, { cursor });
      answers.push([label, answer.status, answer.contentType, answer.body?.errors?.map((e: { path: string }) => e.path)]);
    }

    expect(answers).toEqual(cases.map(([label]) => [label, 400, 'application/problem+json', ['query.cursor']]));
  });

  it('cancels 50 orders the moment each is placed: a 409 only for one that already reached a status forbidding it, named', async () => {
    // A product per lane of five customers placing at once, so that inventory's reservations do not contend for one item.
    const skus = ['E2E-RACE-1', 'E2E-RACE-2', 'E2E-RACE-3', 'E2E-RACE-4', 'E2E-RACE-5'];
    for (const sku of skus) await putProduct(sku, { name: 'Racing cup', price: 500, currency: 'EUR', stock: 10 });
    const customers = Array.from({ length: 50 }, (_, i) => `e2e-racer-${i + 1}`);

    // Inventory's reservation (PENDING → RESERVED), and after it the payment, race each cancel; the customer made neither.
    const placeAndCancel = async (customerId: string, lane: number) => {
      const placed = await placeOrder(anOrder(customerId, [{ sku: skus[lane % skus.length] as string, quantity: 1 }]));
      const cancel = await request(stack.baseUrl, 'POST', `/orders/${placed.body.orderId}/cancel`, asCustomer(customerId));
      return { customerId, placed, cancel };
    };
    // Five customers at a time: all 50 at once would queue the consumers' invocations past this stack's 2 s visibility
    // timeout, and their messages would land in dead-letter queues (this test comes after the ones that read them).
    const answers: Awaited<ReturnType<typeof placeAndCancel>>[] = [];
    for (let next = 0; next < customers.length; next += skus.length)
      answers.push(...(await Promise.all(customers.slice(next, next + skus.length).map(placeAndCancel))));

    expect(answers.map(({ placed }) => placed.status)).toEqual(customers.map(() => 201));
    for (const { customerId, placed, cancel } of answers) {
      const stored = (await request(stack.baseUrl, 'GET', `/orders/${placed.body.orderId}`, asCustomer(customerId))).body;
      if (cancel.status === 200) {
        expect([cancel.body.status, stored.status]).toEqual(['CANCELLED', 'CANCELLED']);
      } else {
        expect(cancel.status).toBe(409);
        expect(['CONFIRMED', 'PAYMENT_FAILED', 'REJECTED', 'CANCELLED']).toContain(stored.status);
        expect(cancel.body.detail).toBe(`Order ${placed.body.orderId} is ${stored.status} and cannot become CANCELLED`);
      }
    }
  });
});
