/**
 * A Serverless plugin every service loads from the base config: each queue
 * that holds failures (a queue's dead-letter queue, or an event source
 * mapping's on-failure destination) gets a CloudWatch alarm that fires as
 * soon as it holds a message, and notifies `custom.alerts.topicArn` if set.
 * Nothing lands in a dead-letter queue unnoticed, and no service has to remember.
 */
'use strict';

const QUEUE = 'AWS::SQS::Queue';

/** Logical ids of the queues that receive what failed, read from the compiled template. */
function failureQueues(resources) {
  const ids = new Set();
  for (const resource of Object.values(resources)) {
    const target =
      resource.Type === QUEUE
        ? resource.Properties?.RedrivePolicy?.deadLetterTargetArn
        : resource.Type === 'AWS::Lambda::EventSourceMapping'
          ? resource.Properties?.DestinationConfig?.OnFailure?.Destination
          : undefined;
    const logicalId = target?.['Fn::GetAtt']?.[0];
    if (logicalId && resources[logicalId]?.Type === QUEUE) ids.add(logicalId);
  }
  return [...ids].sort();
}

function alarmFor(logicalId, topicArn) {
  return {
    Type: 'AWS::CloudWatch::Alarm',
    Properties: {
      AlarmDescription: `Messages are waiting in ${logicalId}: something failed for good. Inspect and redrive them.`,
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId, 'QueueName'] } }],
      Statistic: 'Maximum',
      Period: 60,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      ...(topicArn ? { AlarmActions: [topicArn], OKActions: [topicArn] } : {}),
    },
  };
}

class DeadLetterAlarms {
  constructor(serverless) {
    this.serverless = serverless;
    // After the service's own resources are merged into the template, before it is saved.
    this.hooks = { 'after:aws:package:finalize:mergeCustomProviderResources': () => this.addAlarms() };
  }

  addAlarms() {
    const { Resources } = this.serverless.service.provider.compiledCloudFormationTemplate;
    const topicArn = this.serverless.service.custom?.alerts?.topicArn;
    for (const logicalId of failureQueues(Resources)) Resources[`${logicalId}Alarm`] = alarmFor(logicalId, topicArn);
  }
}

module.exports = DeadLetterAlarms;
module.exports.failureQueues = failureQueues;
