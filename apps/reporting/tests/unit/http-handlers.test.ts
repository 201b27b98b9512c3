import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { callHttp } from '@storefront/testing';

const dynamo = mockClient(DynamoDBDocumentClient);
let handler: typeof import('../../src/handlers/get-order-record').handler;

beforeAll(async () => {
  process.env.ORDER_RECORDS_TABLE = 'reporting-test';
  handler = (await import('../../src/handlers/get-order-record')).handler;
});

beforeEach(() => dynamo.reset());

const get = (orderId: string) => callHttp(handler, { method: 'GET', path: `/reporting/orders/${orderId}`, pathParameters: { orderId } });

describe('GET /reporting/orders/{orderId}', () => {
  it('answers the record of a known order', async () => {
    dynamo
      .on(GetCommand)
      .resolves({ Item: { PK: 'ORDER#o-1', orderId: 'o-1', customerId: 'c-1', units: 3, placedAt: '2026-03-01T10:00:00.000Z' } });

    const response = await get('o-1');

    expect(response.status).toBe(200);
    expect(response.json).toEqual({ orderId: 'o-1', customerId: 'c-1', units: 3, placedAt: '2026-03-01T10:00:00.000Z' });
  });

  it('answers 404 problem+json for an order it never heard of', async () => {
    dynamo.on(GetCommand).resolves({});

    const response = await get('o-unknown');

    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toBe('application/problem+json');
  });
});
