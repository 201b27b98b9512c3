import { routeKeysOf } from '@storefront/contracts';
import { describeServiceTemplate, functionRoles } from '@storefront/testing';

const template = describeServiceTemplate('orders', {
  routes: routeKeysOf('orders'),
  subscriptions: [
    { queue: 'InventoryEvents', topic: 'inventory', eventTypes: ['StockReserved', 'StockRejected'], consumer: 'applyInventoryOutcome' },
  ],
  outboxRelay: { function: 'publishEvents', table: 'OrdersTable', topic: 'orders' },
});
const resources = Object.entries(template.Resources);

describe('the watchdog for orders that wait too long', () => {
  it('runs every five minutes with the 15-minute limit unless a param sets another', () => {
    const rule = resources.find(([, r]) => r.Type === 'AWS::Events::Rule')?.[1].Properties;
    const watchdog = template.Resources.ResolveStaleOrdersLambdaFunction?.Properties;

    expect(rule).toMatchObject({ ScheduleExpression: 'rate(5 minutes)', State: 'ENABLED' });
    expect(watchdog).toMatchObject({ Environment: { Variables: { PENDING_TIMEOUT_SECONDS: '900' } } });
  });

  it('may read the waiting index and change orders with their outbox events, nothing more', () => {
    const role = functionRoles(template).find((f) => f.functionId === 'ResolveStaleOrdersLambdaFunction');
    const tableStatements = role?.statements.filter((s) => JSON.stringify(s.Resource).includes('OrdersTable'));

    expect(tableStatements).toEqual([
      {
        Effect: 'Allow',
        Action: ['dynamodb:Query'],
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['OrdersTable', 'Arn'] }, '/index/GSI2']] },
      },
      { Effect: 'Allow', Action: ['dynamodb:UpdateItem', 'dynamodb:PutItem'], Resource: { 'Fn::GetAtt': ['OrdersTable', 'Arn'] } },
    ]);
  });

  it('alarms as soon as it had to reject an order, since each one is counted once', () => {
    const alarm = template.Resources.StalePendingOrdersAlarm?.Properties;

    expect(alarm).toMatchObject({
      Namespace: 'storefront',
      MetricName: 'StalePendingOrders',
      Statistic: 'Sum',
      EvaluationPeriods: 1,
      Threshold: 1,
      TreatMissingData: 'notBreaching',
    });
  });
});
