import { join } from 'node:path';
import { routeKeysOf } from '@storefront/contracts';
import {
  alertingGaps,
  deployedRouteKeys,
  failureQueues,
  functionRoles,
  leastPrivilegeViolations,
  packagedTemplate,
} from '@storefront/testing';

const template = packagedTemplate(join(import.meta.dirname, '../..'), 'orders');
const resources = Object.entries(template.Resources);
const functions = resources.filter(([, r]) => r.Type === 'AWS::Lambda::Function');

describe('the packaged orders template', () => {
  it('gives every function a role of its own with no wildcard it does not need', () => {
    expect(functions.length).toBeGreaterThan(0);
    expect(functionRoles(template).map((f) => f.roleId)).toEqual(
      functions.map(([id]) => id.replace(/LambdaFunction$/, 'IamRoleLambdaExecution')),
    );
    expect(leastPrivilegeViolations(template)).toEqual([]);
  });

  it('lets only the relay publish to the orders topic', () => {
    const publishers = functionRoles(template).filter((f) => f.statements.some((s) => [s.Action].flat().includes('sns:Publish')));

    expect(publishers.map((f) => f.functionId)).toEqual(['PublishEventsLambdaFunction']);
  });

  it('runs every function on arm64 Node 22 with active tracing and cost tags', () => {
    for (const [, fn] of functions) {
      expect(fn.Properties).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], TracingConfig: { Mode: 'Active' } });
      const tags = Object.fromEntries((fn.Properties.Tags as { Key: string; Value: string }[]).map((t) => [t.Key, t.Value]));
      expect(tags).toMatchObject({ service: 'storefront-orders', stage: 'local' });
    }
  });

  it('retries a failed publish from the stream, bisecting, then parks it on a failure queue', () => {
    const mapping = resources.find(([, r]) => r.Type === 'AWS::Lambda::EventSourceMapping')?.[1].Properties;

    expect(mapping).toMatchObject({
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 5,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['OutboxFailedQueue', 'Arn'] } } },
    });
  });
});

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

describe('alerting', () => {
  it('alarms to the alerts topic as soon as any failure queue holds a message', () => {
    expect(failureQueues(template).length).toBeGreaterThan(0);
    expect(alertingGaps(template)).toEqual([]);
  });
});

describe('HTTP routes', () => {
  it('serves exactly the routes its contract in libs/contracts describes', () => {
    expect(deployedRouteKeys(template)).toEqual(routeKeysOf('orders'));
  });
});
