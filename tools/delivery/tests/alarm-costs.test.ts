import { ALARM_MONTH_USD, inventoryOf, sourceOf } from '../src/observability/alarm-costs.ts';

const alarm = (properties: Record<string, unknown>) => ({ Type: 'AWS::CloudWatch::Alarm', Properties: properties });

describe("the count of a template's alarms and dashboards", () => {
  it('names where each alarm comes from by the names its source gives it', () => {
    expect(sourceOf('slicWatchLambdaErrorsAlarmGetLambdaFunction', alarm({ Namespace: 'AWS/Lambda' }))).toBe('slic-watch');
    expect(
      sourceOf('OrderEventsDeadLetterQueueAlarm', alarm({ Namespace: 'AWS/SQS', MetricName: 'ApproximateNumberOfMessagesVisible' })),
    ).toBe('dead-letter alarms plugin');
    expect(sourceOf('GetOrderErrorsAlarm', alarm({ Namespace: 'AWS/Lambda', MetricName: 'Errors' }))).toBe('stages plugin');
    expect(sourceOf('CheckoutStateMachineExecutionsAbortedAlarm', alarm({ Namespace: 'AWS/States' }))).toBe('serverless-step-functions');
    expect(sourceOf('StalePendingOrdersAlarm', alarm({ Namespace: 'storefront' }))).toBe('service');
  });

  it('counts each metric a metric-math alarm reads, as CloudWatch bills it, and the dashboards', () => {
    const throttles = alarm({
      Metrics: [
        { Id: 'pc', Expression: 'a / b' },
        { Id: 'a', MetricStat: {} },
        { Id: 'b', MetricStat: {} },
      ],
    });
    const inventory = inventoryOf({
      Resources: {
        slicWatchLambdaThrottlesAlarmGet: throttles,
        slicWatchLambdaDurationAlarmGet: alarm({ Namespace: 'AWS/Lambda', MetricName: 'Duration' }),
        slicWatchDashboard: { Type: 'AWS::CloudWatch::Dashboard', Properties: {} },
      },
    });

    expect(inventory).toEqual({ alarms: { 'slic-watch': 2 }, metricAlarmMonths: 3, dashboards: 1 });
    expect(inventory.metricAlarmMonths * ALARM_MONTH_USD).toBeCloseTo(0.3);
  });
});
