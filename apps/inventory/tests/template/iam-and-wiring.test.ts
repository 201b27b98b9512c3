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

const template = packagedTemplate(join(import.meta.dirname, '../..'), 'inventory');
const resource = (logicalId: string) => template.Resources[logicalId]?.Properties ?? {};
const mappings = Object.values(template.Resources).filter((r) => r.Type === 'AWS::Lambda::EventSourceMapping');

describe('the packaged inventory template', () => {
  it('gives every function a role of its own with no wildcard it does not need', () => {
    expect(leastPrivilegeViolations(template)).toEqual([]);
  });

  it('lets only the HTTP and reservation functions change stock, and only the relay publish', () => {
    const can = (action: string) =>
      functionRoles(template)
        .filter((f) => f.statements.some((s) => [s.Action].flat().includes(action)))
        .map((f) => f.functionId)
        .sort();

    expect(can('sns:Publish')).toEqual(['PublishEventsLambdaFunction']);
    expect(can('s3:GetObject')).toEqual(['ImportCatalogLambdaFunction']);
  });

  it('hears only OrderPlaced, OrderCancelled and OrderRejected, with a dead-letter queue after three receives', () => {
    expect(resource('OrderEventsSubscription')).toMatchObject({
      RawMessageDelivery: true,
      FilterPolicy: { eventType: ['OrderPlaced', 'OrderCancelled', 'OrderRejected'] },
    });
    expect(resource('OrderEventsQueue').RedrivePolicy).toMatchObject({ maxReceiveCount: 3 });
    expect(mappings.map((m) => m.Properties.FunctionResponseTypes)).toEqual([['ReportBatchItemFailures'], ['ReportBatchItemFailures']]);
  });

  it('imports CSV files uploaded under imports/ and nothing else', () => {
    const [notification] = (resource('ImportsBucket').NotificationConfiguration as { LambdaConfigurations: unknown[] })
      .LambdaConfigurations;

    expect(notification).toMatchObject({
      Event: 's3:ObjectCreated:*',
      Function: { 'Fn::GetAtt': ['ImportCatalogLambdaFunction', 'Arn'] },
      Filter: {
        S3Key: {
          Rules: [
            { Name: 'prefix', Value: 'imports/' },
            { Name: 'suffix', Value: '.csv' },
          ],
        },
      },
    });
    expect(resource('ImportCatalogS3Permission')).toMatchObject({ Principal: 's3.amazonaws.com', Action: 'lambda:InvokeFunction' });
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
    expect(deployedRouteKeys(template)).toEqual(routeKeysOf('inventory'));
  });
});
