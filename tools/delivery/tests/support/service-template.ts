/** A small service template, as `serverless package` compiles one, for tests to seed defects into. */
/** A template a test seeds defects into: any value, anywhere. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a seeded defect may be of any type at any depth
export type Seeded = any;

/** A small service as `serverless package` compiles one: a queue consumer with its role, log group, queues and table. */
export function aServiceTemplate(): Seeded {
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Resources: {
      ConsumeLogGroup: {
        Type: 'AWS::Logs::LogGroup',
        Properties: { LogGroupName: '/aws/lambda/storefront-shop-dev-consume', RetentionInDays: 14 },
      },
      ConsumeRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          AssumeRolePolicyDocument: {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Principal: { Service: ['lambda.amazonaws.com'] }, Action: ['sts:AssumeRole'] }],
          },
          Policies: [
            {
              PolicyName: 'consume',
              PolicyDocument: {
                Version: '2012-10-17',
                Statement: [{ Effect: 'Allow', Action: ['dynamodb:PutItem'], Resource: { 'Fn::GetAtt': ['ShopTable', 'Arn'] } }],
              },
            },
          ],
        },
      },
      ConsumeLambdaFunction: {
        Type: 'AWS::Lambda::Function',
        DependsOn: ['ConsumeLogGroup'],
        Properties: {
          Code: { S3Bucket: 'deployment-bucket', S3Key: 'consume.zip' },
          Handler: 'src/handlers/consume.handler',
          Runtime: 'nodejs22.x',
          FunctionName: 'storefront-shop-dev-consume',
          MemorySize: 256,
          Timeout: 10,
          Role: { 'Fn::GetAtt': ['ConsumeRole', 'Arn'] },
          Environment: {
            Variables: {
              SHOP_TABLE: { Ref: 'ShopTable' },
              PAGE_CURSOR_KEY: '{{resolve:secretsmanager:storefront/dev/page-cursor-key:SecretString}}',
              PAYMENT_PROVIDER_SECRET_ID: 'storefront/dev/payment-provider',
            },
          },
        },
      },
      ConsumeEventSourceMapping: {
        Type: 'AWS::Lambda::EventSourceMapping',
        Properties: {
          EventSourceArn: { 'Fn::GetAtt': ['EventsQueue', 'Arn'] },
          FunctionName: { 'Fn::GetAtt': ['ConsumeLambdaFunction', 'Arn'] },
          BatchSize: 10,
          FunctionResponseTypes: ['ReportBatchItemFailures'],
        },
      },
      EventsQueue: {
        Type: 'AWS::SQS::Queue',
        Properties: {
          QueueName: { 'Fn::Sub': '${AWS::StackName}-events' },
          RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['EventsDeadLetterQueue', 'Arn'] }, maxReceiveCount: 3 },
        },
      },
      EventsDeadLetterQueue: { Type: 'AWS::SQS::Queue', Properties: { MessageRetentionPeriod: 1209600 } },
      ShopTable: {
        Type: 'AWS::DynamoDB::Table',
        Properties: {
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [{ AttributeName: 'PK', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'PK', KeyType: 'HASH' }],
          StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
        },
      },
      ShopDashboard: {
        Type: 'AWS::CloudWatch::Dashboard',
        Properties: { DashboardBody: { 'Fn::Sub': '{"widgets":[{"type":"text","properties":{"markdown":"${AWS::StackName}"}}]}' } },
      },
    },
    Outputs: {
      ShopTableStreamArn: { Value: { 'Fn::GetAtt': ['ShopTable', 'StreamArn'] } },
      EventsQueueUrl: { Value: { 'Fn::Sub': 'queue ${EventsQueue} in ${AWS::Region}, dead letters in ${EventsDeadLetterQueue.Arn}' } },
    },
  };
}

export const fn = (t: Seeded) => t.Resources.ConsumeLambdaFunction.Properties;
