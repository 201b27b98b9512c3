import { TABLE_OPERATIONS } from '../dead-letter-alarms/slic-watch.ts';
import DeadLetterAlarms from '../dead-letter-alarms/index.ts';

const queue = (properties: Record<string, unknown> = {}) => ({ Type: 'AWS::SQS::Queue', Properties: properties });

function packageWith(resources: Record<string, unknown>, custom?: Record<string, unknown>) {
  const template = { Resources: resources as Record<string, { Type: string; Properties: Record<string, unknown> }> };
  const serverless = { service: { provider: { compiledCloudFormationTemplate: template }, custom } };
  const plugin = new DeadLetterAlarms(serverless);
  Object.values(plugin.hooks).forEach((hook) => (hook as () => void)());
  return template.Resources;
}

describe('the dead-letter alarms plugin', () => {
  it('alarms on every dead-letter queue (of a queue or a schedule) and on-failure destination, and on no other queue', () => {
    const resources = packageWith({
      Work: queue({ RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['WorkDlq', 'Arn'] }, maxReceiveCount: 3 } }),
      WorkDlq: queue(),
      Failed: queue(),
      Relay: {
        Type: 'AWS::Lambda::EventSourceMapping',
        Properties: { DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['Failed', 'Arn'] } } } },
      },
      Unstarted: queue(),
      Nightly: {
        Type: 'AWS::Scheduler::Schedule',
        Properties: { Target: { Arn: 'arn:machine', DeadLetterConfig: { Arn: { 'Fn::GetAtt': ['Unstarted', 'Arn'] } } } },
      },
    });

    const alarms = Object.keys(resources).filter((id) => resources[id]?.Type === 'AWS::CloudWatch::Alarm');

    expect(alarms.sort()).toEqual(['FailedAlarm', 'UnstartedAlarm', 'WorkDlqAlarm']);
    expect(resources.WorkDlqAlarm?.Properties).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 1,
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': ['WorkDlq', 'QueueName'] } }],
    });
  });

  it('notifies the alerts topic when the service names one', () => {
    const resources = packageWith(
      { Dlq: queue(), Work: queue({ RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['Dlq', 'Arn'] } } }) },
      { alerts: { topicArn: 'arn:alerts' } },
    );

    expect(resources.DlqAlarm?.Properties).toMatchObject({ AlarmActions: ['arn:alerts'], OKActions: ['arn:alerts'] });
  });
});

describe('what the dead-letter alarms plugin tells slic-watch', () => {
  const mapping = (functionId: string, source: unknown) => ({
    Type: 'AWS::Lambda::EventSourceMapping',
    Properties: { FunctionName: { 'Fn::GetAtt': [functionId, 'Arn'] }, EventSourceArn: source },
  });

  it('turns off the iterator age alarm of functions fed only by queues (ours or a param ARN), not of stream consumers', () => {
    const resources = {
      Work: queue(),
      ConsumeWork: mapping('ConsumeLambdaFunction', { 'Fn::GetAtt': ['Work', 'Arn'] }),
      ConsumeOther: mapping('OtherLambdaFunction', 'arn:aws:sqs:us-east-1:000000000000:other'),
      Relay: mapping('RelayLambdaFunction', { 'Fn::GetAtt': ['Table', 'StreamArn'] }),
      Table: { Type: 'AWS::DynamoDB::Table', Properties: {} },
    };
    const functions: Record<string, { slicWatch?: unknown }> = {
      consume: { slicWatch: { alarms: { Lambda: { DurationPc: { Threshold: 50 } } } } },
      other: {},
      relay: {},
    };
    const template = { Resources: resources as Record<string, { Type: string; Properties: Record<string, unknown> }> };
    const naming = { getLambdaLogicalId: (name: string) => `${name.charAt(0).toUpperCase()}${name.slice(1)}LambdaFunction` };
    const plugin = new DeadLetterAlarms({
      service: { provider: { compiledCloudFormationTemplate: template }, functions },
      getProvider: () => ({ naming }),
    });
    plugin.addAlarms();

    expect(functions.consume?.slicWatch).toEqual({
      alarms: { Lambda: { DurationPc: { Threshold: 50 }, IteratorAge: { enabled: false } } },
    });
    expect(functions.other?.slicWatch).toEqual({ alarms: { Lambda: { IteratorAge: { enabled: false } } } });
    expect(functions.relay?.slicWatch).toBeUndefined();
  });

  it('marks every failure queue so slic-watch adds no alarm to it, and leaves the queue it drains alone', () => {
    const resources = packageWith({
      Dlq: queue(),
      Work: queue({ RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['Dlq', 'Arn'] } } }),
    }) as Record<string, { Metadata?: unknown }>;

    expect(resources.Dlq?.Metadata).toEqual({ slicWatch: { alarms: { enabled: false } } });
    expect(resources.Work?.Metadata).toBeUndefined();
  });

  it("names DynamoDB's index dimension as DynamoDB does in slic-watch's alarms and dashboard", () => {
    const body = {
      'Fn::Sub': '{"metrics":[["AWS/DynamoDB","ReadThrottleEvents","TableName","${Table}","GlobalSecondaryIndex","byCustomer"]]}',
    };
    const template = {
      Resources: {
        IndexAlarm: {
          Type: 'AWS::CloudWatch::Alarm',
          Properties: {
            Namespace: 'AWS/DynamoDB',
            Dimensions: [
              { Name: 'TableName', Value: { Ref: 'Table' } },
              { Name: 'GlobalSecondaryIndex', Value: 'byCustomer' },
            ],
          },
        },
        Dashboard: { Type: 'AWS::CloudWatch::Dashboard', Properties: { DashboardBody: body } },
      } as Record<string, { Type: string; Properties: Record<string, unknown> }>,
    };
    const plugin = new DeadLetterAlarms({ service: { provider: { compiledCloudFormationTemplate: template } } });
    plugin.hooks['before:aws:package:finalize:saveServiceState']?.();

    expect(template.Resources.IndexAlarm?.Properties.Dimensions).toEqual([
      { Name: 'TableName', Value: { Ref: 'Table' } },
      { Name: 'GlobalSecondaryIndexName', Value: 'byCustomer' },
    ]);
    expect(template.Resources.Dashboard?.Properties.DashboardBody).toEqual({
      'Fn::Sub': '{"metrics":[["AWS/DynamoDB","ReadThrottleEvents","TableName","${Table}","GlobalSecondaryIndexName","byCustomer"]]}',
    });
  });
});

describe("slic-watch's per-table SystemErrors alarm", () => {
  it('becomes metric math summing the operations, since DynamoDB publishes SystemErrors per operation only', () => {
    const template = {
      Resources: {
        ErrorsAlarm: {
          Type: 'AWS::CloudWatch::Alarm',
          Properties: {
            AlarmActions: ['arn:alerts'],
            Namespace: 'AWS/DynamoDB',
            MetricName: 'SystemErrors',
            Dimensions: [{ Name: 'TableName', Value: { Ref: 'Table' } }],
            Statistic: 'Sum',
            Period: 60,
            Threshold: 0,
          },
        },
      } as Record<string, { Type: string; Properties: Record<string, unknown> }>,
    };
    const plugin = new DeadLetterAlarms({ service: { provider: { compiledCloudFormationTemplate: template } } });
    plugin.hooks['before:aws:package:finalize:saveServiceState']?.();

    const properties = template.Resources.ErrorsAlarm?.Properties as { Metrics: Record<string, unknown>[] } & Record<string, unknown>;
    expect(properties).toMatchObject({ AlarmActions: ['arn:alerts'], Threshold: 0 });
    expect(properties.MetricName).toBeUndefined();
    expect(properties.Metrics[0]).toEqual({
      Id: 'errors',
      Expression: `SUM([${TABLE_OPERATIONS.map((_, i) => `m${i}`).join(',')}])`,
      Label: 'SystemErrors, all operations',
      ReturnData: true,
    });
    expect(properties.Metrics.slice(1)).toEqual(
      TABLE_OPERATIONS.map((operation, i) => ({
        Id: `m${i}`,
        MetricStat: {
          Metric: {
            Namespace: 'AWS/DynamoDB',
            MetricName: 'SystemErrors',
            Dimensions: [
              { Name: 'TableName', Value: { Ref: 'Table' } },
              { Name: 'Operation', Value: operation },
            ],
          },
          Period: 60,
          Stat: 'Sum',
        },
        ReturnData: false,
      })),
    );
    expect(properties.Metrics).toHaveLength(10);
  });
});
