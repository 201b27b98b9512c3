/**
 * The transactional outbox relay (libs/outbox): a function fed by its table's
 * stream, only with outbox INSERTs, publishing to one topic. Declared on the
 * function as
 *   events: [{ outboxRelay: { table: OrdersTable, topicArn: ... } }]
 * and built into the stream event (bisect, retries, on-failure destination),
 * the OutboxFailedQueue it parks failures on, and the function's IAM for both.
 * Reading the stream is granted from the stream event by the per-function roles plugin.
 */
import { type Arn, arnOf, type BuildContext, failureQueue } from './queues.ts';

// The entityType of outbox items (OUTBOX_ENTITY in libs/outbox, which Node cannot import here); any other write to
// the table is not an event. A test keeps the two equal.
export const OUTBOX_ENTITY = 'OUTBOX_EVENT';
const FAILED_QUEUE = 'OutboxFailedQueue';

export interface OutboxRelayDeclaration {
  table: string;
  topicArn: Arn;
}

export const outboxRelaySchema = {
  type: 'object',
  properties: {
    table: { type: 'string', pattern: '^[A-Za-z0-9]+$' },
    topicArn: { anyOf: [{ type: 'string', minLength: 1 }, { type: 'object' }] },
  },
  required: ['table', 'topicArn'],
  additionalProperties: false,
};

/** Builds the function event's `outboxRelay` declaration: the table's logical id and the topic to publish to. */
export function buildOutboxRelay({ table, topicArn }: OutboxRelayDeclaration, { namePrefix }: Pick<BuildContext, 'namePrefix'>) {
  const failedQueueArn = arnOf(FAILED_QUEUE);
  const event = {
    stream: {
      type: 'dynamodb',
      arn: { 'Fn::GetAtt': [table, 'StreamArn'] },
      batchSize: 25,
      startingPosition: 'TRIM_HORIZON',
      // A failed record is retried from where it failed, halving the batch each time, then parked.
      bisectBatchOnFunctionError: true,
      maximumRetryAttempts: 5,
      functionResponseType: 'ReportBatchItemFailures',
      filterPatterns: [{ eventName: ['INSERT'], dynamodb: { NewImage: { entityType: { S: [OUTBOX_ENTITY] } } } }],
      destinations: { onFailure: { arn: failedQueueArn, type: 'sqs' } },
    },
  };
  const iamRoleStatements = [
    { Effect: 'Allow', Action: ['sns:Publish'], Resource: topicArn },
    { Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: failedQueueArn },
  ];
  return { resources: { [FAILED_QUEUE]: failureQueue(`${namePrefix}-outbox-failed`) }, event, iamRoleStatements };
}
