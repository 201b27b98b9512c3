import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { callHttp, type Identity } from '@storefront/testing';
import { aStoredPayment } from '../support/stored-payments';

const dynamo = mockClient(DynamoDBDocumentClient);
let handler: typeof import('../../src/handlers/get-payment').handler;

beforeAll(async () => {
  process.env.PAYMENTS_TABLE = 'payments-test';
  handler = (await import('../../src/handlers/get-payment')).handler;
});

beforeEach(() => dynamo.reset());

const get = (orderId: string, as: Identity = { customer: 'customer-1' }) =>
  callHttp(handler, { method: 'GET', path: `/payments/${orderId}`, pathParameters: { orderId }, as });

describe('GET /payments/{orderId}', () => {
  it('answers the payment of a known order: status, amount, provider reference, attempts', async () => {
    dynamo.on(GetCommand).resolves({
      Item: aStoredPayment({ status: 'CAPTURED', providerReference: 'pi_1', attempts: 2, updatedAt: '2026-03-01T10:00:05.000Z' }),
    });

    const response = await get('o-1');

    expect(response.status).toBe(200);
    expect(response.json).toEqual({
      orderId: 'o-1',
      status: 'CAPTURED',
      amount: 2500,
      currency: 'EUR',
      providerReference: 'pi_1',
      attempts: 2,
      createdAt: '2026-03-01T10:00:00.000Z',
      updatedAt: '2026-03-01T10:00:05.000Z',
    });
  });

  it.each([
    ['an order it never heard of', undefined],
    [
      'an order withdrawn before it was reserved',
      { PK: 'PAYMENT#o-1', SK: 'PAYMENT', entityType: 'WITHDRAWN_BEFORE_RESERVED', orderId: 'o-1' },
    ],
  ])('answers 404 problem+json for %s', async (_, Item) => {
    dynamo.on(GetCommand).resolves({ Item });

    const response = await get('o-1');

    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(response.json).toMatchObject({ status: 404, detail: 'No payment is recorded for order o-1' });
  });

  it("answers another customer's payment with the same 404 as an unknown order, and an admin's request with the payment", async () => {
    dynamo.on(GetCommand).resolves({ Item: aStoredPayment({ status: 'CAPTURED' }) });

    const stranger = await get('o-1', { customer: 'c-7' });
    const admin = await get('o-1', { admin: true });

    expect(stranger.status).toBe(404);
    expect(stranger.json.detail).toBe('No payment is recorded for order o-1');
    expect(admin.status).toBe(200);
  });
});
