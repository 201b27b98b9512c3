import { join } from 'node:path';
import { routeKeysOf } from '@storefront/contracts';
import { alertingGaps, deployedRouteKeys, failureQueues, leastPrivilegeViolations, packagedTemplate } from '@storefront/testing';

const template = packagedTemplate(join(import.meta.dirname, '../..'), 'notifications');
const resource = (logicalId: string) => template.Resources[logicalId]?.Properties ?? {};

describe('the packaged notifications template', () => {
  it('subscribes its queue to the orders topic for the order events it handles, as raw messages', () => {
    expect(resource('OrderEventsSubscription')).toMatchObject({
      Protocol: 'sqs',
      RawMessageDelivery: true,
      FilterPolicy: { eventType: ['OrderPlaced', 'OrderCancelled'] },
      Endpoint: { 'Fn::GetAtt': ['OrderEventsQueue', 'Arn'] },
    });
  });

  it('moves a message to the dead-letter queue after three failed receives', () => {
    expect(resource('OrderEventsQueue').RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': ['OrderEventsDeadLetterQueue', 'Arn'] },
      maxReceiveCount: 3,
    });
  });

  it('reports partial batch failures from its consumer', () => {
    const mapping = Object.values(template.Resources).find((r) => r.Type === 'AWS::Lambda::EventSourceMapping');

    expect(mapping?.Properties).toMatchObject({ FunctionResponseTypes: ['ReportBatchItemFailures'], BatchSize: 10 });
  });

  it('lets only the SNS topic it subscribes to send to its queue', () => {
    const statement = (resource('OrderEventsQueuePolicy').PolicyDocument as { Statement: unknown[] }).Statement[0];

    expect(statement).toMatchObject({
      Action: 'sqs:SendMessage',
      Principal: { Service: 'sns.amazonaws.com' },
      Condition: { ArnEquals: { 'aws:SourceArn': expect.stringContaining(':storefront-local-orders') } },
    });
  });
});

describe('notifications permissions', () => {
  it('gives every function a role of its own with no wildcard it does not need', () => {
    expect(leastPrivilegeViolations(template)).toEqual([]);
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
    expect(deployedRouteKeys(template)).toEqual(routeKeysOf('notifications'));
  });
});
