import { routesOf } from '@storefront/contracts';
import { describeServiceTemplate, functionRoles } from '@storefront/testing';
import { consumes as orderEventsConsumed } from '../../src/handlers/reserve-or-release-stock.consumes';
import { consumes as paymentEventsConsumed } from '../../src/handlers/sell-or-release-stock.consumes';

const template = describeServiceTemplate('inventory', {
  routes: routesOf('inventory'),
  subscriptions: [
    { queue: 'OrderEvents', topic: 'orders', consumer: 'reserveStock', consumes: orderEventsConsumed },
    { queue: 'PaymentEvents', topic: 'payments', consumer: 'sellOrReleaseStock', consumes: paymentEventsConsumed },
  ],
  outboxRelay: { function: 'publishEvents', table: 'InventoryTable', topic: 'inventory' },
});
const resource = (logicalId: string) => template.Resources[logicalId]?.Properties ?? {};
const functionsAllowedTo = (action: string) =>
  functionRoles(template)
    .filter((f) => f.statements.some((s) => [s.Action].flat().includes(action)))
    .map((f) => f.functionId)
    .sort();

describe('the packaged inventory template', () => {
  it('lets only the HTTP, reservation, payment and import functions change products, and only the import read uploads', () => {
    expect(functionsAllowedTo('dynamodb:UpdateItem')).toEqual([
      'AdjustStockLambdaFunction',
      'ImportCatalogLambdaFunction',
      'PutProductLambdaFunction',
      'ReserveStockLambdaFunction',
      'SellOrReleaseStockLambdaFunction',
    ]);
    expect(functionsAllowedTo('s3:GetObject')).toEqual(['ImportCatalogLambdaFunction']);
  });

  it('lets the payment consumer read and change reservations, products and the outbox in its own table, nothing more', () => {
    const role = functionRoles(template).find((f) => f.functionId === 'SellOrReleaseStockLambdaFunction');
    const tableStatements = role?.statements.filter((s) => JSON.stringify(s.Resource).includes('InventoryTable'));

    expect(tableStatements).toEqual([
      {
        Effect: 'Allow',
        Action: ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:PutItem'],
        Resource: { 'Fn::GetAtt': ['InventoryTable', 'Arn'] },
      },
    ]);
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
