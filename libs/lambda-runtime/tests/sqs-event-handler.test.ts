import type { SQSRecord } from 'aws-lambda';
import { OrderEvent } from '@storefront/contracts';
import { sqsEventHandler } from '../src';
import { lambdaContext } from './fixtures';

const message = (messageId: string, body: string) =>
  ({ messageId, body, receiptHandle: messageId, attributes: {}, messageAttributes: {} }) as unknown as SQSRecord;
const placed = {
  id: 'evt-1',
  type: 'OrderPlaced',
  version: 1,
  occurredAt: '2026-03-01T10:00:00.000Z',
  source: 'storefront.orders',
  correlationId: 'corr-1',
  data: { orderId: 'o-1', customerId: 'c-1', currency: 'EUR', lines: [{ sku: 'A', quantity: 1 }] },
};

describe('sqsEventHandler', () => {
  it('hands typed events to the handler and fails only unreadable messages', async () => {
    const seen: string[] = [];
    const handler = sqsEventHandler(OrderEvent, async (event) => {
      seen.push(event.data.orderId);
    });

    const response = await handler(
      { Records: [message('m1', JSON.stringify(placed)), message('m2', '{oops'), message('m3', '{"type":"OrderShipped"}')] },
      lambdaContext,
    );

    expect(seen).toEqual(['o-1']);
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm2' }, { itemIdentifier: 'm3' }] });
  });
});
