import { OUTBOX_ENTITY } from '@storefront/outbox';
import { buildOutboxRelay } from '../event-wiring/outbox-relay.ts';

const topicArn = 'arn:aws:sns:us-east-1:000000000000:shop-orders';
const failedQueueArn = { 'Fn::GetAtt': ['OutboxFailedQueue', 'Arn'] };

describe('the outbox relay', () => {
  const built = buildOutboxRelay({ table: 'OrdersTable', topicArn }, { namePrefix: 'shop-dev' });

  it('reads only outbox inserts from the table stream, bisecting and retrying, then parks failures', () => {
    expect(built.event).toEqual({
      stream: {
        type: 'dynamodb',
        arn: { 'Fn::GetAtt': ['OrdersTable', 'StreamArn'] },
        batchSize: 25,
        startingPosition: 'TRIM_HORIZON',
        bisectBatchOnFunctionError: true,
        maximumRetryAttempts: 5,
        functionResponseType: 'ReportBatchItemFailures',
        filterPatterns: [{ eventName: ['INSERT'], dynamodb: { NewImage: { entityType: { S: [OUTBOX_ENTITY] } } } }],
        destinations: { onFailure: { arn: failedQueueArn, type: 'sqs' } },
      },
    });
  });

  it('parks failures on a queue with the same logical name in every service', () => {
    expect(built.resources).toEqual({
      OutboxFailedQueue: {
        Type: 'AWS::SQS::Queue',
        // Its depth alarm comes from the dead-letter alarms plugin; slic-watch adds none of its own.
        Metadata: { slicWatch: { alarms: { enabled: false } } },
        Properties: { QueueName: 'shop-dev-outbox-failed', MessageRetentionPeriod: 1_209_600 },
      },
    });
  });

  it('may publish to its topic and send to its failure queue, nothing else', () => {
    expect(built.iamRoleStatements).toEqual([
      { Effect: 'Allow', Action: ['sns:Publish'], Resource: topicArn },
      { Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: failedQueueArn },
    ]);
  });
});
