/**
 * A queue subscribed to an SNS topic, filtered on the events' `eventType`
 * attribute, feeding one function. Declared on the function as
 *   events: [{ subscription: { queue: OrderEvents, topicArn: ... } }]
 * and built into <queue>Queue, <queue>DeadLetterQueue, <queue>Subscription,
 * <queue>QueuePolicy and the function's sqs event. The filter lets through
 * the event types the function's handler declares it consumes (consumes.ts):
 * the one list both the handler's schema and the filter come from.
 */
import { type Arn, arnOf, type BuildContext, failureQueue, kebabCase, QUEUE } from './queues.ts';

export interface SubscriptionDeclaration {
  queue: string;
  topicArn: Arn;
  maxReceiveCount?: number;
  visibilityTimeout?: number;
  batchSize?: number;
}

export const subscriptionSchema = {
  type: 'object',
  properties: {
    queue: { type: 'string', pattern: '^[A-Z][A-Za-z0-9]*$' },
    topicArn: { anyOf: [{ type: 'string', minLength: 1 }, { type: 'object' }] },
    maxReceiveCount: { type: 'integer', minimum: 1, maximum: 1000 },
    visibilityTimeout: { type: 'integer', minimum: 0, maximum: 43_200 },
    batchSize: { type: 'integer', minimum: 1, maximum: 10_000 },
  },
  required: ['queue', 'topicArn'],
  additionalProperties: false,
};

/** Builds the function event's `subscription` declaration. */
export function buildSubscription(declaration: SubscriptionDeclaration, { namePrefix, functionTimeout, consumes }: BuildContext) {
  const { queue, topicArn, maxReceiveCount = 3, batchSize = 10 } = declaration;
  if (!consumes?.length) throw new Error(`${queue}'s subscription has no event types to filter on: its handler declares none`);
  // AWS advises a visibility of six times the function timeout, so a slow batch is not delivered twice meanwhile.
  const visibilityTimeout = declaration.visibilityTimeout ?? 6 * functionTimeout;
  const queueId = `${queue}Queue`;
  const deadLetterId = `${queue}DeadLetterQueue`;
  const queueName = `${namePrefix}-${kebabCase(queue)}`;

  const resources = {
    [queueId]: {
      Type: QUEUE,
      Properties: {
        QueueName: queueName,
        VisibilityTimeout: visibilityTimeout,
        RedrivePolicy: { deadLetterTargetArn: arnOf(deadLetterId), maxReceiveCount },
      },
    },
    [deadLetterId]: failureQueue(`${queueName}-dlq`),
    // Raw delivery: the queue receives the event envelope itself, with eventType as a message attribute.
    [`${queue}Subscription`]: {
      Type: 'AWS::SNS::Subscription',
      Properties: {
        TopicArn: topicArn,
        Protocol: 'sqs',
        Endpoint: arnOf(queueId),
        RawMessageDelivery: true,
        FilterPolicy: { eventType: [...consumes] },
      },
    },
    [`${queue}QueuePolicy`]: {
      Type: 'AWS::SQS::QueuePolicy',
      Properties: {
        Queues: [{ Ref: queueId }],
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: 'sns.amazonaws.com' },
              Action: 'sqs:SendMessage',
              Resource: arnOf(queueId),
              Condition: { ArnEquals: { 'aws:SourceArn': topicArn } },
            },
          ],
        },
      },
    },
  };
  const event = { sqs: { arn: arnOf(queueId), batchSize, functionResponseType: 'ReportBatchItemFailures' } };
  return { resources, event, iamRoleStatements: [] };
}
