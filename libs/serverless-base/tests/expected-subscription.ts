/**
 * What a subscription declared as `{ queue: OrderEvents, topicArn, eventTypes }` must build, spelled out
 * once for the builder's own test and the packaged fixture's.
 */
export const arnOf = (logicalId: string) => ({ 'Fn::GetAtt': [logicalId, 'Arn'] });

export function expectedOrderEventsResources({
  namePrefix,
  topicArn,
  eventTypes,
}: {
  namePrefix: string;
  topicArn: string;
  eventTypes: string[];
}) {
  return {
    OrderEventsQueue: {
      Type: 'AWS::SQS::Queue',
      Properties: {
        QueueName: `${namePrefix}-order-events`,
        VisibilityTimeout: 60,
        RedrivePolicy: { deadLetterTargetArn: arnOf('OrderEventsDeadLetterQueue'), maxReceiveCount: 3 },
      },
    },
    OrderEventsDeadLetterQueue: {
      Type: 'AWS::SQS::Queue',
      Properties: { QueueName: `${namePrefix}-order-events-dlq`, MessageRetentionPeriod: 1_209_600 },
    },
    OrderEventsSubscription: {
      Type: 'AWS::SNS::Subscription',
      Properties: {
        TopicArn: topicArn,
        Protocol: 'sqs',
        Endpoint: arnOf('OrderEventsQueue'),
        RawMessageDelivery: true,
        FilterPolicy: { eventType: eventTypes },
      },
    },
    OrderEventsQueuePolicy: {
      Type: 'AWS::SQS::QueuePolicy',
      Properties: {
        Queues: [{ Ref: 'OrderEventsQueue' }],
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: 'sns.amazonaws.com' },
              Action: 'sqs:SendMessage',
              Resource: arnOf('OrderEventsQueue'),
              Condition: { ArnEquals: { 'aws:SourceArn': topicArn } },
            },
          ],
        },
      },
    },
  };
}
