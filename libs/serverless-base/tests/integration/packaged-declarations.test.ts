import { alertingGaps, arnOf, type CfnTemplate, expectedSubscriptionResources, functionRoles } from '@storefront/testing';
import { consumes } from './fixture/handler.consumes.ts';
import { packageFixture } from './package-fixture';

const ordersTopic = 'arn:aws:sns:us-east-1:000000000000:orders';
const alertsTopic = 'arn:aws:sns:us-east-1:000000000000:alerts';
const ownLogs = (functionName: string) => ({
  Effect: 'Allow',
  Action: ['logs:CreateLogStream', 'logs:CreateLogGroup', 'logs:PutLogEvents'],
  Resource: [
    {
      'Fn::Sub': `arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:/aws/lambda/wiring-fixture-test-${functionName}:*:*`,
    },
  ],
});

describe('a service that declares a subscription and an outbox relay, once packaged', () => {
  let template: CfnTemplate;
  const resource = (logicalId: string) => template.Resources[logicalId];
  const statementsOf = (functionId: string) => functionRoles(template).find((f) => f.functionId === functionId)?.statements;

  beforeAll(() => {
    template = packageFixture({
      config: 'serverless.yml',
      stage: 'test',
      params: { ordersTopicArn: ordersTopic, alertsTopicArn: alertsTopic },
    });
  }, 120_000);

  it('has the subscribed queue with its redrive, the subscription filtered on what the handler consumes and a policy for that topic only', () => {
    const built = expectedSubscriptionResources({
      queue: 'OrderEvents',
      namePrefix: 'wiring-fixture-test',
      visibilityTimeout: 60,
      topicArn: ordersTopic,
      eventTypes: consumes,
    });

    expect(Object.fromEntries(Object.keys(built).map((id) => [id, resource(id)]))).toEqual(built);
  });

  it('feeds the consumer from its queue, reporting failed items, with receive rights on that queue only', () => {
    expect(resource('ConsumeEventSourceMappingSQSOrderEventsQueue')?.Properties).toEqual({
      BatchSize: 10,
      EventSourceArn: arnOf('OrderEventsQueue'),
      FunctionName: arnOf('ConsumeLambdaFunction'),
      Enabled: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    expect(statementsOf('ConsumeLambdaFunction')).toEqual([
      ownLogs('consume'),
      {
        Effect: 'Allow',
        Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
        Resource: [arnOf('OrderEventsQueue')],
      },
      { Effect: 'Allow', Action: ['dynamodb:PutItem'], Resource: arnOf('EventsTable') },
    ]);
  });

  it('relays only outbox inserts from the stream, bisecting and retrying, then parks them on OutboxFailedQueue', () => {
    expect(resource('PublishEventSourceMappingDynamodbEventsTable')?.Properties).toEqual({
      BatchSize: 25,
      Enabled: true,
      EventSourceArn: { 'Fn::GetAtt': ['EventsTable', 'StreamArn'] },
      FunctionName: arnOf('PublishLambdaFunction'),
      StartingPosition: 'TRIM_HORIZON',
      MaximumRetryAttempts: 5,
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: arnOf('OutboxFailedQueue') } },
      FilterCriteria: {
        Filters: [{ Pattern: JSON.stringify({ eventName: ['INSERT'], dynamodb: { NewImage: { entityType: { S: ['OUTBOX_EVENT'] } } } }) }],
      },
    });
    expect(resource('OutboxFailedQueue')).toEqual({
      Type: 'AWS::SQS::Queue',
      Metadata: { slicWatch: { alarms: { enabled: false } } },
      Properties: { QueueName: 'wiring-fixture-test-outbox-failed', MessageRetentionPeriod: 1_209_600 },
    });
  });

  it('lets the relay read its stream, publish to its topic and send to its failure queue, nothing more', () => {
    expect(statementsOf('PublishLambdaFunction')).toEqual([
      ownLogs('publish'),
      {
        Effect: 'Allow',
        Action: ['dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:DescribeStream', 'dynamodb:ListStreams'],
        Resource: [{ 'Fn::GetAtt': ['EventsTable', 'StreamArn'] }],
      },
      { Effect: 'Allow', Action: ['sns:Publish'], Resource: ordersTopic },
      { Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: arnOf('OutboxFailedQueue') },
    ]);
  });

  it('alarms to the alerts topic on both failure queues', () => {
    expect(
      Object.keys(template.Resources).filter(
        (id) =>
          resource(id)?.Type === 'AWS::CloudWatch::Alarm' && resource(id)?.Properties?.MetricName === 'ApproximateNumberOfMessagesVisible',
      ),
    ).toEqual(['OrderEventsDeadLetterQueueAlarm', 'OutboxFailedQueueAlarm']);
    expect(alertingGaps(template)).toEqual([]);
  });

  it("has slic-watch alarm on the rest at the stage's thresholds, with no alarm twice and none on a metric that cannot exist", () => {
    const alarms = Object.keys(template.Resources)
      .filter((id) => resource(id)?.Type === 'AWS::CloudWatch::Alarm' && id.startsWith('slicWatch'))
      .sort();

    // No iterator age for the queue consumer (Lambda reports it for streams only), no alarm of slic-watch's on either
    // failure queue (the depth alarms above watch them), no in-flight alarm, no account-wide UserErrors per table.
    expect(alarms).toEqual(
      [
        'slicWatchLambdaErrorsAlarmConsumeLambdaFunction',
        'slicWatchLambdaThrottlesAlarmConsumeLambdaFunction',
        'slicWatchLambdaDurationAlarmConsumeLambdaFunction',
        'slicWatchLambdaErrorsAlarmPublishLambdaFunction',
        'slicWatchLambdaThrottlesAlarmPublishLambdaFunction',
        'slicWatchLambdaDurationAlarmPublishLambdaFunction',
        'slicWatchLambdaIteratorAgeAlarmPublishLambdaFunction',
        'slicWatchSQSOldestMsgAgeAlarmOrderEventsQueue',
        'slicWatchTableReadThrottleEventsAlarmEventsTable',
        'slicWatchTableWriteThrottleEventsAlarmEventsTable',
        'slicWatchTableSystemErrorsAlarmEventsTable',
      ].sort(),
    );
    for (const id of alarms) expect(resource(id)?.Properties).toMatchObject({ AlarmActions: [alertsTopic], OKActions: [alertsTopic] });
    // The dev thresholds (stageSettings in serverless.base.cjs): 95% of the 10-second timeout, 30 minutes of queue age.
    expect(resource('slicWatchLambdaDurationAlarmConsumeLambdaFunction')?.Properties).toMatchObject({ Threshold: 9500 });
    expect(resource('slicWatchSQSOldestMsgAgeAlarmOrderEventsQueue')?.Properties).toMatchObject({ Threshold: 1800 });
    expect(Object.keys(template.Resources).filter((id) => resource(id)?.Type === 'AWS::CloudWatch::Dashboard')).toEqual([
      'slicWatchDashboard',
    ]);
  });
});
