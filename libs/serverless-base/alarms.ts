/**
 * The one alarm shape the Serverless plugins beside this file add to templates: it fires on the first occurrence
 * within a minute (a failed invocation, a message in a failure queue), stays quiet without data, and notifies the
 * alerts topic when the service has one. Node runs it as it is (type stripping): only erasable syntax.
 */
export interface AlarmedMetric {
  description: string;
  namespace: string;
  metricName: string;
  dimensions: { Name: string; Value: unknown }[];
  statistic: 'Sum' | 'Maximum';
}

export function firstOccurrenceAlarm(metric: AlarmedMetric, topicArn: unknown) {
  return {
    Type: 'AWS::CloudWatch::Alarm',
    Properties: {
      AlarmDescription: metric.description,
      Namespace: metric.namespace,
      MetricName: metric.metricName,
      Dimensions: metric.dimensions,
      Statistic: metric.statistic,
      Period: 60,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      ...(topicArn ? { AlarmActions: [topicArn], OKActions: [topicArn] } : {}),
    },
  };
}
