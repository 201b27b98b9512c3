import { buildSubscription } from '../event-wiring/subscription.ts';
import { expectedSubscriptionResources } from '@storefront/testing';

const topicArn = 'arn:aws:sns:us-east-1:000000000000:shop-orders';
const context = { namePrefix: 'shop-dev', functionTimeout: 10, consumes: ['OrderPlaced'] };

describe('a queue subscribed to a topic', () => {
  it('builds the queue, its dead-letter queue, a raw subscription filtered on what the handler consumes, and a policy for that topic only', () => {
    const { resources } = buildSubscription(
      { queue: 'OrderEvents', topicArn },
      { ...context, consumes: ['OrderPlaced', 'OrderCancelled'] },
    );

    expect(resources).toEqual(
      expectedSubscriptionResources({
        queue: 'OrderEvents',
        namePrefix: 'shop-dev',
        topicArn,
        eventTypes: ['OrderPlaced', 'OrderCancelled'],
        visibilityTimeout: 60,
      }),
    );
  });

  it('feeds the function from the queue in batches that report their failed items', () => {
    const built = buildSubscription({ queue: 'OrderEvents', topicArn }, context);

    expect(built.event).toEqual({
      sqs: { arn: { 'Fn::GetAtt': ['OrderEventsQueue', 'Arn'] }, batchSize: 10, functionResponseType: 'ReportBatchItemFailures' },
    });
    expect(built.iamRoleStatements).toEqual([]);
  });

  it('keeps messages invisible for six times the function timeout unless told otherwise', () => {
    const visibility = (declaration: Record<string, unknown>, functionTimeout: number) =>
      (
        buildSubscription({ queue: 'Work', topicArn, ...declaration }, { ...context, functionTimeout }).resources.WorkQueue?.Properties as {
          VisibilityTimeout: number;
        }
      ).VisibilityTimeout;

    expect(visibility({}, 30)).toBe(180);
    expect(visibility({ visibilityTimeout: 45 }, 30)).toBe(45);
  });

  it('takes the receive count and batch size the declaration gives', () => {
    const built = buildSubscription({ queue: 'Work', topicArn, maxReceiveCount: 5, batchSize: 1 }, context);

    expect((built.resources.WorkQueue?.Properties as { RedrivePolicy: unknown }).RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': ['WorkDeadLetterQueue', 'Arn'] },
      maxReceiveCount: 5,
    });
    expect(built.event.sqs.batchSize).toBe(1);
  });

  it('refuses to build a subscription for a handler that declares no event types, which would let every event through', () => {
    expect(() => buildSubscription({ queue: 'OrderEvents', topicArn }, { ...context, consumes: [] })).toThrow(
      "OrderEvents's subscription has no event types to filter on: its handler declares none",
    );
  });
});
