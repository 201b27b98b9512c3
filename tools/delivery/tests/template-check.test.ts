import { join } from 'node:path';
import { checkTemplate } from '../src/cloudformation/check-template.ts';
import { readTemplateFile } from '../src/cloudformation/template-file.ts';
import type { Finding } from '../src/cloudformation/template.ts';
import { aServiceTemplate, fn, type Seeded } from './support/service-template.ts';

const DEV = { tablesKeepData: false, secretsKeptOut: true, watched: true };
const KEEPS_DATA = { tablesKeepData: true, secretsKeptOut: true, watched: true };
const LOCAL = { tablesKeepData: false, secretsKeptOut: false, watched: false };
const expectFinding = (findings: Finding[], at: string, problem: RegExp) =>
  expect(findings).toContainEqual({ at, problem: expect.stringMatching(problem) });

describe('the template check', () => {
  it('finds nothing in a well-formed service template', () => {
    expect(checkTemplate(aServiceTemplate(), DEV)).toEqual([]);
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

    it('a service with no dashboard, in a watched stage, and not locally, where nothing is watched', () => {
      const template = aServiceTemplate();
      delete template.Resources.ShopDashboard;

      expectFinding(
        checkTemplate(template, DEV),
        'Resources',
        /has no AWS::CloudWatch::Dashboard for its 4 function\(s\), table\(s\), queue\(s\)/,
      );
      expect(checkTemplate(template, LOCAL)).toEqual([]);
    });

    it('asks no dashboard of a stack that runs and keeps nothing (a stage, shared topics)', () => {
      const template = aServiceTemplate();
      for (const id of Object.keys(template.Resources))
        if (
          ['AWS::Lambda::Function', 'AWS::SQS::Queue', 'AWS::DynamoDB::Table', 'AWS::CloudWatch::Dashboard'].includes(
            template.Resources[id].Type,
          )
        )
          delete template.Resources[id];
      template.Outputs = {};

      expect(checkTemplate(template, DEV).filter((f) => /Dashboard/.test(f.problem))).toEqual([]);
    });

    it('an alarm that notifies no one, in a watched stage', () => {
      const template = aServiceTemplate();
      template.Resources.EventsDeadLetterQueueAlarm = {
        Type: 'AWS::CloudWatch::Alarm',
        Properties: {
          Namespace: 'AWS/SQS',
          MetricName: 'ApproximateNumberOfMessagesVisible',
          Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': ['EventsDeadLetterQueue', 'QueueName'] } }],
          Statistic: 'Maximum',
          Period: 60,
          EvaluationPeriods: 1,
          Threshold: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        },
      };

      expectFinding(checkTemplate(template, DEV), 'Resources.EventsDeadLetterQueueAlarm.Properties', /misses AlarmActions/);
      expect(checkTemplate(template, LOCAL)).toEqual([]);
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

    it("leaves the local stage's throwaway keys in its templates", () => {
      const template = aServiceTemplate();
      fn(template).Environment.Variables.PAGE_CURSOR_KEY = 'local-page-cursor-key';

      expect(checkTemplate(template, LOCAL)).toEqual([]);
      expect(checkTemplate(template, DEV)).not.toEqual([]);
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
});
