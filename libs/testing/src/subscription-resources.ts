/** A resource's `Fn::GetAtt` of its ARN, as templates reference one another. */
export const arnOf = (logicalId: string) => ({ 'Fn::GetAtt': [logicalId, 'Arn'] });

/** `OrderEvents` → `order-events`, as physical names read. */
const kebabCase = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();

export interface SubscriptionDeclaration {
  /** The declaration's queue: `OrderEvents` builds OrderEventsQueue, OrderEventsDeadLetterQueue, OrderEventsSubscription, OrderEventsQueuePolicy. */
  queue: string;
  /** `<service>-<stage>`, which every physical name starts with. */
  namePrefix: string;
  /** The topic's ARN, or a matcher for it. */
  topicArn: unknown;
  /** What the subscription's filter lets through: the event types its consumer declares. */
  eventTypes: readonly string[];
  visibilityTimeout: number;
  maxReceiveCount?: number;
}

/**
 * What a `subscription` declaration must build, resource by resource: the queue with its redrive to a
 * dead-letter queue kept two weeks, the raw subscription filtered on `eventType`, and a queue policy that
 * lets only that topic send. Spelled out once for the builder's tests and every service's template test.
 */
export function expectedSubscriptionResources({
  queue,
  namePrefix,
  topicArn,
  eventTypes,
  visibilityTimeout,
  maxReceiveCount = 3,
}: SubscriptionDeclaration) {
  const queueName = `${namePrefix}-${kebabCase(queue)}`;
  return {
    [`${queue}Queue`]: {
      Type: 'AWS::SQS::Queue',
      Properties: {
        QueueName: queueName,
        VisibilityTimeout: visibilityTimeout,
        RedrivePolicy: { deadLetterTargetArn: arnOf(`${queue}DeadLetterQueue`), maxReceiveCount },
      },
    },
    [`${queue}DeadLetterQueue`]: {
      Type: 'AWS::SQS::Queue',
      // Its depth alarm comes from the dead-letter alarms plugin, which tells slic-watch to add none of its own.
      Metadata: { slicWatch: { alarms: { enabled: false } } },
      Properties: { QueueName: `${queueName}-dlq`, MessageRetentionPeriod: 1_209_600 },
    },
    [`${queue}Subscription`]: {
      Type: 'AWS::SNS::Subscription',
      Properties: {
        TopicArn: topicArn,
        Protocol: 'sqs',
        Endpoint: arnOf(`${queue}Queue`),
        RawMessageDelivery: true,
        FilterPolicy: { eventType: [...eventTypes] },
      },
    },
    [`${queue}QueuePolicy`]: {
      Type: 'AWS::SQS::QueuePolicy',
      Properties: {
        Queues: [{ Ref: `${queue}Queue` }],
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: 'sns.amazonaws.com' },
              Action: 'sqs:SendMessage',
              Resource: arnOf(`${queue}Queue`),
              Condition: { ArnEquals: { 'aws:SourceArn': topicArn } },
            },
          ],
        },
      },
    },
  };
}
