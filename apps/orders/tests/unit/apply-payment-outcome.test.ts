import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import {
  aLambdaContext,
  anSqsEvent,
  anSqsRecord,
  anSqsRecordFromTopic,
  aPaymentCaptured,
  aPaymentFailed,
  aPaymentRefunded,
  TEST_PAGE_CURSOR_KEY,
} from '@storefront/testing';
import { aStoredOrder } from '../support/builders';

const dynamo = mockClient(DynamoDBDocumentClient);
// The business counts the handler publishes (EMF is off in tests).
const mockCounted: string[] = [];
jest.mock('@storefront/lambda-runtime', () => ({
  ...jest.requireActual('@storefront/lambda-runtime'),
  countMetric: (name: string) => mockCounted.push(name),
}));
let handler: typeof import('../../src/handlers/apply-payment-outcome').handler;
const context = aLambdaContext({ functionName: 'applyPaymentOutcome' });
const reserved = aStoredOrder({ status: 'RESERVED', total: { amount: 3998, currency: 'EUR' } });

beforeAll(async () => {
  process.env.ORDERS_TABLE = 'orders-test';
  process.env.PAGE_CURSOR_KEY = TEST_PAGE_CURSOR_KEY;
  handler = (await import('../../src/handlers/apply-payment-outcome')).handler;
});

beforeEach(() => {
  dynamo.reset();
  mockCounted.length = 0;
});

/** The status update the handler wrote, if any. */
const writtenUpdate = () => dynamo.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems;

describe('applyPaymentOutcome', () => {
  it('confirms a reserved order whose payment was captured, with a conditional update and no event', async () => {
    dynamo.on(GetCommand).resolves({ Item: reserved });
    dynamo.on(TransactWriteCommand).resolves({});

    const response = await handler(
      anSqsEvent(anSqsRecordFromTopic(aPaymentCaptured({ data: { orderId: 'o-1', providerReference: 'pi_9' } }))),
      context,
    );

    expect(response).toEqual({ batchItemFailures: [] });
    const items = writtenUpdate() ?? [];
    expect(items).toHaveLength(1);
    expect(items[0]?.Update).toMatchObject({
      Key: { PK: 'ORDER#o-1' },
      ConditionExpression: '#status = :expected',
      ExpressionAttributeValues: {
        ':status': 'CONFIRMED',
        ':expected': 'RESERVED',
        ':payment': { status: 'CAPTURED', providerReference: 'pi_9' },
      },
    });
    expect(items[0]?.Update?.UpdateExpression).toContain('REMOVE GSI2PK, GSI2SK');
    expect(mockCounted).toEqual(['OrderConfirmed']);
  });

  it('marks a reserved order PAYMENT_FAILED with the reason', async () => {
    dynamo.on(GetCommand).resolves({ Item: reserved });
    dynamo.on(TransactWriteCommand).resolves({});

    await handler(anSqsEvent(anSqsRecordFromTopic(aPaymentFailed({ data: { orderId: 'o-1', detail: 'generic_decline' } }))), context);

    expect(writtenUpdate()?.[0]?.Update?.ExpressionAttributeValues).toMatchObject({
      ':status': 'PAYMENT_FAILED',
      ':payment': { status: 'FAILED', reason: 'DECLINED', detail: 'generic_decline' },
    });
    expect(mockCounted).toEqual(['OrderPaymentFailed']);
  });

  it('acknowledges an outcome for an order that was cancelled meanwhile, and changes nothing', async () => {
    dynamo.on(GetCommand).resolves({ Item: aStoredOrder({ status: 'CANCELLED' }) });

    const response = await handler(anSqsEvent(anSqsRecordFromTopic(aPaymentCaptured({ data: { orderId: 'o-1' } }))), context);

    expect(response).toEqual({ batchItemFailures: [] });
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(0);
    expect(mockCounted).toEqual([]);
  });

  // The subscription never delivers a PaymentRefunded (a refund changes no order): one that arrives means the filter and
  // the handler disagree, so it goes to the dead-letter queue like an unreadable message rather than being acknowledged.
  it('fails a PaymentRefunded, which it does not consume, as it fails an unreadable message, and reads no order for either', async () => {
    const response = await handler(
      anSqsEvent(
        anSqsRecordFromTopic(aPaymentRefunded({ data: { orderId: 'o-1' } }), { messageId: 'm1' }),
        anSqsRecord('not json', { messageId: 'm2' }),
      ),
      context,
    );

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm1' }, { itemIdentifier: 'm2' }] });
    expect(dynamo.calls()).toHaveLength(0);
  });
});
