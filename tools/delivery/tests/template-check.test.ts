import { join } from 'node:path';
import { checkTemplate } from '../src/cloudformation/check-template.ts';
import { readTemplateFile } from '../src/cloudformation/template-file.ts';
import type { Finding } from '../src/cloudformation/template.ts';

const DEV = { tablesKeepData: false };
const KEEPS_DATA = { tablesKeepData: true };

/** A template a test seeds defects into: any value, anywhere. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a seeded defect may be of any type at any depth
type Seeded = any;

/** A small service as `serverless package` compiles one: a queue consumer with its role, log group, queues and table. */
function aServiceTemplate(): Seeded {
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
    },
    Outputs: {
      ShopTableStreamArn: { Value: { 'Fn::GetAtt': ['ShopTable', 'StreamArn'] } },
      EventsQueueUrl: { Value: { 'Fn::Sub': 'queue ${EventsQueue} in ${AWS::Region}, dead letters in ${EventsDeadLetterQueue.Arn}' } },
    },
  };
}

const fn = (t: Seeded) => t.Resources.ConsumeLambdaFunction.Properties;

const expectFinding = (findings: Finding[], at: string, problem: RegExp) =>
  expect(findings).toContainEqual({ at, problem: expect.stringMatching(problem) });

describe('the template check', () => {
  it('finds nothing in a well-formed service template', () => {
    expect(checkTemplate(aServiceTemplate(), DEV)).toEqual([]);
  });

  describe('against the CloudFormation resource model, names each seeded defect', () => {
    it.each<[string, (t: Seeded) => void, string, RegExp]>([
      [
        'an unknown resource type',
        (t) => (t.Resources.EventsQueue.Type = 'AWS::SQS::Queu'),
        'Resources.EventsQueue.Type',
        /AWS::SQS::Queu is not a CloudFormation resource type/,
      ],
      [
        'an unknown top-level property',
        (t) => (fn(t).Runtim = 'nodejs22.x'),
        'Resources.ConsumeLambdaFunction.Properties.Runtim',
        /is not a property of AWS::Lambda::Function$/,
      ],
      [
        'an unknown nested property',
        (t) => (fn(t).Environment = { Variabls: {} }),
        'Resources.ConsumeLambdaFunction.Properties.Environment.Variabls',
        /is not a property of AWS::Lambda::Function.Environment/,
      ],
      [
        'an unknown property inside a list of objects',
        (t) => (t.Resources.ShopTable.Properties.KeySchema[0].Type = 'HASH'),
        'Resources.ShopTable.Properties.KeySchema[0].Type',
        /is not a property of AWS::DynamoDB::Table.KeySchema/,
      ],
      [
        'a wrong type at the top level',
        (t) => (fn(t).MemorySize = 'lots'),
        'Resources.ConsumeLambdaFunction.Properties.MemorySize',
        /expects integer, got string "lots"/,
      ],
      [
        'a wrong type nested',
        (t) => (fn(t).Code.S3Key = ['consume.zip']),
        'Resources.ConsumeLambdaFunction.Properties.Code.S3Key',
        /expects string, got a list/,
      ],
      [
        'an object where a list is expected',
        (t) => (t.Resources.ShopTable.Properties.AttributeDefinitions = { AttributeName: 'PK', AttributeType: 'S' }),
        'Resources.ShopTable.Properties.AttributeDefinitions',
        /expects a list of an object, got an object/,
      ],
      [
        'a word outside the allowed ones',
        (t) => (fn(t).TracingConfig = { Mode: 'Activ' }),
        'Resources.ConsumeLambdaFunction.Properties.TracingConfig.Mode',
        /expects one of Active, PassThrough, got string "Activ"/,
      ],
      [
        'a number outside the allowed ones',
        (t) => (t.Resources.ConsumeLogGroup.Properties.RetentionInDays = 15),
        'Resources.ConsumeLogGroup.Properties.RetentionInDays',
        /expects one of 1, 3, 5, 7, 14, .*, got number 15/,
      ],
      [
        'a string function where an object is expected',
        (t) => (fn(t).Environment = { 'Fn::Sub': 'x' }),
        'Resources.ConsumeLambdaFunction.Properties.Environment',
        /expects an object, got Fn::Sub \(a string\)/,
      ],
      [
        'a missing required top-level property',
        (t) => delete fn(t).Code,
        'Resources.ConsumeLambdaFunction.Properties',
        /misses Code, required by AWS::Lambda::Function$/,
      ],
      [
        'a missing required nested property',
        (t) => delete t.Resources.ShopTable.Properties.KeySchema[0].KeyType,
        'Resources.ShopTable.Properties.KeySchema[0]',
        /misses KeyType, required by AWS::DynamoDB::Table.KeySchema/,
      ],
      [
        'an unknown resource attribute',
        (t) => (t.Resources.EventsQueue.DeletePolicy = 'Retain'),
        'Resources.EventsQueue.DeletePolicy',
        /is not a resource attribute/,
      ],
    ])('%s', (_kind, seed, at, problem) => {
      const template = aServiceTemplate();
      seed(template);

      expectFinding(checkTemplate(template, DEV), at, problem);
    });
  });

  describe('of what values point at, names each seeded defect', () => {
    it.each<[string, (t: Seeded) => void, string, RegExp]>([
      [
        'a Ref to nothing',
        (t) => (fn(t).Environment.Variables.SHOP_TABLE = { Ref: 'ShoppingTable' }),
        'Resources.ConsumeLambdaFunction.Properties.Environment.Variables.SHOP_TABLE.Ref',
        /ShoppingTable is not a resource, parameter or pseudo parameter/,
      ],
      [
        'a GetAtt of a missing resource',
        (t) => (fn(t).Role = { 'Fn::GetAtt': ['ConsumerRole', 'Arn'] }),
        'Resources.ConsumeLambdaFunction.Properties.Role.Fn::GetAtt',
        /ConsumerRole is not a resource of this template/,
      ],
      [
        'a GetAtt of an attribute the type does not have',
        (t) => (t.Outputs.ShopTableStreamArn!.Value = { 'Fn::GetAtt': ['ShopTable', 'StreamARN'] }),
        'Outputs.ShopTableStreamArn.Value.Fn::GetAtt',
        /AWS::DynamoDB::Table has no attribute StreamARN \(it has Arn, StreamArn\)/,
      ],
      [
        'a Sub variable that names nothing',
        (t) => (t.Resources.EventsQueue.Properties.QueueName = { 'Fn::Sub': '${AWS::StackName}-${Stage}-events' }),
        'Resources.EventsQueue.Properties.QueueName.Fn::Sub',
        /\$\{Stage\} is not a variable, resource, parameter or pseudo parameter/,
      ],
      [
        'a Sub attribute the type does not have',
        (t) => (t.Outputs.EventsQueueUrl!.Value = { 'Fn::Sub': '${EventsDeadLetterQueue.Url}' }),
        'Outputs.EventsQueueUrl.Value.Fn::Sub',
        /AWS::SQS::Queue has no attribute Url/,
      ],
      [
        'a DependsOn on nothing',
        (t) => (t.Resources.ConsumeLambdaFunction.DependsOn = ['ConsumeLogGroup', 'ConsumeLogs']),
        'Resources.ConsumeLambdaFunction.DependsOn',
        /ConsumeLogs is not a resource of this template/,
      ],
      [
        'a condition that is not declared',
        (t) => (t.Resources.ShopTable.Condition = 'IsProd'),
        'Resources.ShopTable.Condition',
        /string "IsProd" is not a condition of this template/,
      ],
    ])('%s', (_kind, seed, at, problem) => {
      const template = aServiceTemplate();
      seed(template);

      expectFinding(checkTemplate(template, DEV), at, problem);
    });
  });

  describe('of our house rules, names each seeded defect', () => {
    it('a function whose log group is missing', () => {
      const template = aServiceTemplate();
      delete template.Resources.ConsumeLogGroup;
      template.Resources.ConsumeLambdaFunction.DependsOn = [];

      expectFinding(
        checkTemplate(template, DEV),
        'Resources.ConsumeLambdaFunction',
        /has no log group in the template: expected an AWS::Logs::LogGroup \/aws\/lambda\/storefront-shop-dev-consume/,
      );
    });

    it('a log group that keeps logs forever', () => {
      const template = aServiceTemplate();
      delete template.Resources.ConsumeLogGroup.Properties.RetentionInDays;

      expectFinding(checkTemplate(template, DEV), 'Resources.ConsumeLogGroup.Properties', /misses RetentionInDays/);
    });

    it('accepts a log group given through LoggingConfig instead of the default name', () => {
      const template = aServiceTemplate();
      template.Resources.ConsumeLogGroup.Properties.LogGroupName = '/storefront/consume';
      fn(template).LoggingConfig = { LogGroup: { Ref: 'ConsumeLogGroup' } };

      expect(checkTemplate(template, DEV)).toEqual([]);
    });

    it('a queue with no dead-letter queue that is none itself', () => {
      const template = aServiceTemplate();
      delete template.Resources.EventsQueue.Properties.RedrivePolicy;

      const findings = checkTemplate(template, DEV);

      expectFinding(findings, 'Resources.EventsQueue', /has no dead-letter queue/);
      expectFinding(findings, 'Resources.EventsDeadLetterQueue', /has no dead-letter queue/);
    });

    it("counts a stream's on-failure destination as a dead-letter queue", () => {
      const template = aServiceTemplate();
      template.Resources.OutboxFailedQueue = { Type: 'AWS::SQS::Queue', Properties: {} };
      template.Resources.RelayEventSourceMapping = {
        Type: 'AWS::Lambda::EventSourceMapping',
        Properties: {
          EventSourceArn: { 'Fn::GetAtt': ['ShopTable', 'StreamArn'] },
          FunctionName: { 'Fn::GetAtt': ['ConsumeLambdaFunction', 'Arn'] },
          StartingPosition: 'TRIM_HORIZON',
          DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['OutboxFailedQueue', 'Arn'] } } },
        },
      };

      expect(checkTemplate(template, DEV)).toEqual([]);
    });

    it('a table without point-in-time recovery or Retain, in a stage that keeps its data, and not in one that does not', () => {
      const template = aServiceTemplate();

      const findings = checkTemplate(template, KEEPS_DATA);

      expectFinding(findings, 'Resources.ShopTable.Properties', /misses PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled: true/);
      expectFinding(findings, 'Resources.ShopTable', /misses DeletionPolicy: Retain/);
      expectFinding(findings, 'Resources.ShopTable', /misses UpdateReplacePolicy: Retain/);
      expect(checkTemplate(template, DEV)).toEqual([]);
    });

    it('accepts a table that keeps its data where the stage demands it', () => {
      const template = aServiceTemplate();
      Object.assign(template.Resources.ShopTable, { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
      template.Resources.ShopTable.Properties.PointInTimeRecoverySpecification = { PointInTimeRecoveryEnabled: true };

      expect(checkTemplate(template, KEEPS_DATA)).toEqual([]);
    });

    it.each<[string, (t: Seeded) => void, string, RegExp]>([
      [
        'a signing key in an environment variable',
        (t) => (fn(t).Environment.Variables.PAGE_CURSOR_KEY = 'a-page-cursor-key-of-forty-eight-characters-long'),
        'Resources.ConsumeLambdaFunction.Properties.Environment.Variables.PAGE_CURSOR_KEY',
        /holds a secret as plain text/,
      ],
      [
        'an API token in an environment variable',
        (t) => (fn(t).Environment.Variables.PROVIDER_API_TOKEN = 'tok-3c9f0a6e51b2'),
        'Resources.ConsumeLambdaFunction.Properties.Environment.Variables.PROVIDER_API_TOKEN',
        /holds a secret as plain text/,
      ],
      [
        'a secret string written into a secret',
        (t) =>
          (t.Resources.ProviderSecret = { Type: 'AWS::SecretsManager::Secret', Properties: { SecretString: '{"apiKey":"abc12345"}' } }),
        'Resources.ProviderSecret.Properties.SecretString',
        /holds a secret as plain text/,
      ],
      [
        'a credential-shaped value anywhere',
        (t) => (t.Resources.ConsumeRole.Properties.Description = 'uses AKIAIOSFODNN7EXAMPLE'),
        'Resources.ConsumeRole.Properties.Description',
        /holds an AWS access key id/,
      ],
      [
        'a Stripe key in an output',
        (t) => (t.Outputs.ProviderKey = { Value: 'sk_live_51Habcdefghijklmnop' }),
        'Outputs.ProviderKey.Value',
        /holds a Stripe secret key/,
      ],
    ])('an inline secret: %s', (_kind, seed, at, problem) => {
      const template = aServiceTemplate();
      seed(template);

      expectFinding(checkTemplate(template, DEV), at, problem);
    });
  });
});

describe("the template check on the pipeline's own CloudFormation template (YAML with short forms)", () => {
  const oidcTemplate = () => readTemplateFile(join(import.meta.dirname, '../../../deploy/github-oidc.yml'));

  it('finds nothing in deploy/github-oidc.yml, whose short forms read as their long forms', () => {
    const template = oidcTemplate();

    expect(template.Resources?.DeployRole?.Properties?.RoleName).toEqual({ 'Fn::Sub': 'storefront-github-deploy-${Stage}' });
    expect(checkTemplate(template, KEEPS_DATA)).toEqual([]);
  });

  it('names a typo in it', () => {
    const template = oidcTemplate() as Seeded;
    template.Resources.DeployRole.Properties.MaxSessionDurationSeconds = 3600;
    template.Outputs.DeployRoleArn.Value = { 'Fn::GetAtt': ['DeployRole', 'RoleArn'] };

    const findings = checkTemplate(template, KEEPS_DATA);

    expectFinding(findings, 'Resources.DeployRole.Properties.MaxSessionDurationSeconds', /is not a property of AWS::IAM::Role/);
    expectFinding(findings, 'Outputs.DeployRoleArn.Value.Fn::GetAtt', /AWS::IAM::Role has no attribute RoleArn/);
  });
});
