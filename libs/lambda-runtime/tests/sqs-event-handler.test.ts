import { eventsOf, OrderEvent } from '@storefront/contracts';
import { aLambdaContext, anOrderCancelled, anOrderPlaced, anSqsEvent, anSqsRecord, anSqsRecordFromTopic } from '@storefront/testing';
import { sqsEventHandler } from '../src';

describe('sqsEventHandler', () => {
  it('hands typed events to the handler and fails only unreadable messages', async () => {
    const seen: string[] = [];
    const handler = sqsEventHandler(OrderEvent, async (event) => {
      seen.push(event.data.orderId);
    });

    const response = await handler(
      anSqsEvent(
        anSqsRecordFromTopic(anOrderPlaced({ data: { orderId: 'o-1' } }), { messageId: 'm1' }),
        anSqsRecord('{oops', { messageId: 'm2' }),
        anSqsRecordFromTopic({ type: 'OrderShipped' }, { messageId: 'm3' }),
      ),
      aLambdaContext(),
    );

    expect(seen).toEqual(['o-1']);
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm2' }, { itemIdentifier: 'm3' }] });
  });

  it('fails an event of a type the consumer does not declare it consumes, as it fails any message that breaks its contract', async () => {
    const seen: string[] = [];
    const handler = sqsEventHandler(eventsOf(['OrderPlaced']), async (event) => {
      seen.push(event.type);
    });

    const response = await handler(
      anSqsEvent(anSqsRecordFromTopic(anOrderPlaced(), { messageId: 'm1' }), anSqsRecordFromTopic(anOrderCancelled(), { messageId: 'm2' })),
      aLambdaContext(),
    );

    expect(seen).toEqual(['OrderPlaced']);
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm2' }] });
  });
});
