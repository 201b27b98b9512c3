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
