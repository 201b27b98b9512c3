import { billedChunks, itemBytes, type ObservedExchange, UsageMeter } from '../src/metering/usage-meter.ts';

const signedFor = (service: string) =>
  `AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=x`;
const exchange = (service: string, fields: Partial<ObservedExchange>): ObservedExchange => ({
  method: 'POST',
  path: '/',
  headers: { authorization: signedFor(service) },
  requestBody: '',
  status: 200,
  responseBody: '',
  ...fields,
});

describe('the usage meter', () => {
  it('bills each started 64 KiB of an SNS or SQS payload as one request', () => {
    expect([billedChunks(10), billedChunks(64 * 1024), billedChunks(64 * 1024 + 1), billedChunks(256 * 1024)]).toEqual([1, 1, 2, 4]);
  });

  it('counts a 100 KiB SNS publish as two requests', () => {
    const meter = new UsageMeter();

    meter.messaging(exchange('sns', { requestBody: `Action=Publish&Message=${'x'.repeat(100 * 1024)}` }));

    expect(meter.snapshot().sns).toEqual({ requests: 1, billedRequests: 2 });
  });

  it('counts SQS requests that carry messages by action, and receives that found nothing apart', () => {
    const meter = new UsageMeter();
    const receive = { headers: { authorization: signedFor('sqs'), 'x-amz-target': 'AmazonSQS.ReceiveMessage' } };

    meter.messaging(exchange('sqs', { ...receive, responseBody: '{"Messages":[{"MessageId":"m-1","Body":"{}"}]}' }));
    meter.messaging(exchange('sqs', { ...receive, responseBody: '{}' }));
    meter.messaging(exchange('sqs', { headers: { authorization: signedFor('sqs'), 'x-amz-target': 'AmazonSQS.DeleteMessageBatch' } }));

    expect(meter.snapshot().sqs).toEqual({
      requests: 2,
      billedRequests: 2,
      emptyReceives: 1,
      byAction: { ReceiveMessage: 1, DeleteMessageBatch: 1 },
    });
  });

  it('sorts S3 requests into the PUT/LIST and the GET rate, and leaves DELETE free', () => {
    const meter = new UsageMeter();

    meter.messaging(exchange('s3', { method: 'PUT', path: '/reports/daily/2026-01-01.json' }));
    meter.messaging(exchange('s3', { method: 'GET', path: '/reports?list-type=2' }));
    meter.messaging(exchange('s3', { method: 'GET', path: '/reports/daily/2026-01-01.json' }));
    meter.messaging(exchange('s3', { method: 'DELETE', path: '/reports/daily/2026-01-01.json' }));

    expect(meter.snapshot().s3).toEqual({ tier1Requests: 2, tier2Requests: 1 });
  });

  it("adds up each function's billed milliseconds from serverless-offline's duration reports", () => {
    const meter = new UsageMeter();
    meter.nameFunctionsWith((service, key) => `storefront-${service}-local-${key}`);

    meter.invoked('storefront-orders-local-placeOrder', 'http');
    meter.serviceLine('orders', '\u001b[90m(λ: placeOrder) RequestId: r-1  Duration: 41.20 ms  Billed Duration: 42 ms\u001b[39m');

    expect(meter.snapshot().lambda).toEqual({
      'storefront-orders-local-placeOrder': { invocations: 1, billedMs: 42, reportedInvocations: 1 },
    });
    expect(meter.snapshot().httpApi.requests).toBe(1);
  });

  it('keeps what the schedules invoke apart from the orders', () => {
    const meter = new UsageMeter();

    meter.invoked('storefront-orders-local-resolveStaleOrders', 'schedule');

    expect(meter.snapshot().lambda).toEqual({});
    expect(meter.snapshot().scheduledInvocations).toEqual({ 'storefront-orders-local-resolveStaleOrders': 1 });
  });

  it('counts the bytes of function log lines at INFO and above, as production logs them', () => {
    const meter = new UsageMeter();
    const info = '{"level":"INFO","message":"order placed"}';

    meter.serviceLine('orders', info);
    meter.serviceLine('orders', '{"level":"DEBUG","message":"details"}');
    meter.serviceLine('orders', 'offline: POST /orders');

    expect(meter.snapshot().logs).toEqual({ bytes: info.length + 1, lines: 1 });
  });

  it('counts a transaction by the sizes of its items, and an index update at what DynamoDB reported', () => {
    const meter = new UsageMeter();

    meter.dynamodb({
      method: 'POST',
      path: '/',
      headers: { 'x-amz-target': 'DynamoDB_20120810.TransactWriteItems' },
      requestBody: '{"TransactItems":[]}',
      status: 200,
      responseBody: JSON.stringify({
        ConsumedCapacity: [
          { TableName: 'orders', CapacityUnits: 4, Table: { CapacityUnits: 2 }, GlobalSecondaryIndexes: { GSI1: { CapacityUnits: 2 } } },
        ],
      }),
      transactionItems: [
        { table: 'orders', bytes: 1500 },
        { table: 'orders', bytes: 10 },
      ],
    });

    expect(meter.snapshot().dynamodb.orders).toMatchObject({ writeUnits: 2 * 2 + 2 * 1 + 2, requests: 1 });
  });

  it('sizes an item as DynamoDB does: names and values, a number by its digits', () => {
    expect(itemBytes({ PK: { S: 'ORDER#1' }, n: { N: '12345' }, ok: { BOOL: true } })).toBe(2 + 7 + 1 + 4 + 2 + 1);
  });
});
