import { describeTemplate, resolveValue } from '../src/cloudformation.ts';

const template = {
  Resources: {
    OrdersTopic: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'storefront-local-orders' } },
    EventsQueue: {
      Type: 'AWS::SQS::Queue',
      Properties: {
        QueueName: 'events',
        RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['EventsDlq', 'Arn'] }, maxReceiveCount: 3 },
      },
    },
    EventsDlq: { Type: 'AWS::SQS::Queue', Properties: {} },
    Table: { Type: 'AWS::DynamoDB::Table', Properties: { TableName: 'orders' } },
    Api: { Type: 'AWS::ApiGatewayV2::Api', Properties: { Name: 'storefront-local' } },
  },
  Outputs: {
    TopicArn: { Value: { Ref: 'OrdersTopic' } },
    ApiUrl: { Value: { 'Fn::GetAtt': ['Api', 'ApiEndpoint'] } },
  },
};
const ctx = { template, stackName: 'storefront-test-local', region: 'us-east-1', apiEndpoint: 'http://localhost:4000' };

describe('resolving a template for the local account', () => {
  it('turns a Ref to a topic into its local ARN', () => {
    expect(resolveValue({ Ref: 'OrdersTopic' }, ctx)).toBe('arn:aws:sns:us-east-1:000000000000:storefront-local-orders');
  });

  it('names a resource without an explicit name after its stack and logical id', () => {
    expect(resolveValue({ 'Fn::GetAtt': ['EventsDlq', 'Arn'] }, ctx)).toBe(
      'arn:aws:sqs:us-east-1:000000000000:storefront-test-local-EventsDlq',
    );
  });

  it('resolves Sub, Join and pseudo parameters', () => {
    expect(resolveValue({ 'Fn::Sub': '${Table.Arn}/index/*' }, ctx)).toBe('arn:aws:dynamodb:us-east-1:000000000000:table/orders/index/*');
    expect(resolveValue({ 'Fn::Join': ['-', [{ Ref: 'AWS::Region' }, 'x']] }, ctx)).toBe('us-east-1-x');
  });

  it('resolves outputs, with the gateway as the HTTP API endpoint', () => {
    expect(describeTemplate(template, ctx).outputs).toEqual({
      TopicArn: 'arn:aws:sns:us-east-1:000000000000:storefront-local-orders',
      ApiUrl: 'http://localhost:4000',
    });
  });

  it('resolves references inside resource properties', () => {
    const queue = describeTemplate(template, ctx).resources.find((r: { logicalId: string }) => r.logicalId === 'EventsQueue');

    expect(queue?.properties.RedrivePolicy.deadLetterTargetArn).toBe('arn:aws:sqs:us-east-1:000000000000:storefront-test-local-EventsDlq');
  });

  it('refuses a Ref to a resource the template does not have', () => {
    expect(() => resolveValue({ Ref: 'Missing' }, ctx)).toThrow('Ref to unknown resource Missing');
  });
});
