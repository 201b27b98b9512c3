import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { callHttp, type Identity, TEST_PAGE_CURSOR_KEY } from '@storefront/testing';

const dynamo = mockClient(DynamoDBDocumentClient);
let handler: typeof import('../../src/handlers/list-customer-notifications').handler;

beforeAll(async () => {
  process.env.NOTIFICATIONS_TABLE = 'notifications-test';
  process.env.PAGE_CURSOR_KEY = TEST_PAGE_CURSOR_KEY;
  handler = (await import('../../src/handlers/list-customer-notifications')).handler;
});

beforeEach(() => dynamo.reset());

const list = (customerId: string, as: Identity) =>
  callHttp(handler, { path: `/customers/${customerId}/notifications`, pathParameters: { customerId }, queryStringParameters: {}, as });

describe('GET /customers/{customerId}/notifications', () => {
  it("answers a customer's own notifications", async () => {
    dynamo.on(QueryCommand).resolves({ Items: [] });

    const response = await list('c-1', { customer: 'c-1' });

    expect(response.status).toBe(200);
    expect(response.json).toEqual({ items: [] });
  });

  it("refuses with 403 a customer reading another customer's notifications, without querying", async () => {
    const response = await list('c-1', { customer: 'c-2' });

    expect(response.status).toBe(403);
    expect(response.json).toMatchObject({ status: 403, detail: 'Only customer c-1 (or an admin) may read their notifications' });
    expect(dynamo.commandCalls(QueryCommand)).toHaveLength(0);
  });

  it("lets an admin read any customer's notifications", async () => {
    dynamo.on(QueryCommand).resolves({ Items: [] });

    const response = await list('c-1', { admin: true });

    expect(response.status).toBe(200);
  });
});
