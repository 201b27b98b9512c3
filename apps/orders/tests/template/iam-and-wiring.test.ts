import { routesOf } from '@storefront/contracts';
import { describeServiceTemplate, functionRoles } from '@storefront/testing';
import { consumes as inventoryEventsConsumed } from '../../src/handlers/apply-inventory-outcome.consumes';
import { consumes as paymentEventsConsumed } from '../../src/handlers/apply-payment-outcome.consumes';

const template = describeServiceTemplate('orders', {
  routes: routesOf('orders'),
  subscriptions: [
    { queue: 'InventoryEvents', topic: 'inventory', consumer: 'applyInventoryOutcome', consumes: inventoryEventsConsumed },
    { queue: 'PaymentEvents', topic: 'payments', consumer: 'applyPaymentOutcome', consumes: paymentEventsConsumed },
  ],
  outboxRelay: { function: 'publishEvents', table: 'OrdersTable', topic: 'orders' },
  latencyCritical: ['placeOrder', 'getOrder'],
});
const resources = Object.entries(template.Resources);
const ordersTable = { 'Fn::GetAtt': ['OrdersTable', 'Arn'] };
const statementsOf = (functionId: string) => functionRoles(template).find((f) => f.functionId === functionId)?.statements;

describe('the consumers of other services answers', () => {
  it('lets inventory answers move an order with its outbox event (OrderReserved, OrderRejected), nothing more', () => {
    expect(statementsOf('ApplyInventoryOutcomeLambdaFunction')).toContainEqual({
      Effect: 'Allow',
      Action: ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:PutItem'],
      Resource: ordersTable,
    });
  });

  it('lets payment outcomes move an order with its outbox event (OrderConfirmed), nothing more', () => {
    const tableStatements = statementsOf('ApplyPaymentOutcomeLambdaFunction')?.filter((s) =>
      JSON.stringify(s.Resource).includes('OrdersTable'),
    );

    expect(tableStatements).toEqual([
      { Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:PutItem'], Resource: ordersTable },
    ]);
  });
});

describe('the watchdog for orders that wait too long', () => {
  it('runs every five minutes with the 15-minute PENDING and one-hour RESERVED limits unless params set others', () => {
    const rule = resources.find(([, r]) => r.Type === 'AWS::Events::Rule')?.[1].Properties;
    const watchdog = template.Resources.ResolveStaleOrdersLambdaFunction?.Properties;

    expect(rule).toMatchObject({ ScheduleExpression: 'rate(5 minutes)', State: 'ENABLED' });
    expect(watchdog).toMatchObject({ Environment: { Variables: { PENDING_TIMEOUT_SECONDS: '900', RESERVED_TIMEOUT_SECONDS: '3600' } } });
  });

  it('may read the waiting index and change orders with their outbox events, nothing more', () => {
    const tableStatements = statementsOf('ResolveStaleOrdersLambdaFunction')?.filter((s) =>
      JSON.stringify(s.Resource).includes('OrdersTable'),
    );

    expect(tableStatements).toEqual([
      {
        Effect: 'Allow',
        Action: ['dynamodb:Query'],
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['OrdersTable', 'Arn'] }, '/index/GSI2']] },
      },
      { Effect: 'Allow', Action: ['dynamodb:UpdateItem', 'dynamodb:PutItem'], Resource: { 'Fn::GetAtt': ['OrdersTable', 'Arn'] } },
    ]);
  });

  it.each(['StalePendingOrders', 'StaleReservedOrders'])(
    'alarms on %s as soon as it had to reject one order, since each is counted once',
    (metric) => {
      const alarm = template.Resources[`${metric}Alarm`]?.Properties;

      expect(alarm).toMatchObject({
        Namespace: 'storefront',
        MetricName: metric,
        Statistic: 'Sum',
        EvaluationPeriods: 1,
        Threshold: 1,
        TreatMissingData: 'notBreaching',
      });
    },
  );
});
