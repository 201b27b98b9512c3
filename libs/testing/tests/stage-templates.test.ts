import { arnOf, type CfnTemplate, slicWatchChecks, stageTemplateChecks } from '../src';

const alerts = 'arn:aws:sns:us-east-1:000000000000:storefront-prod-alerts';
const liveArn = (fnId: string) => ({ 'Fn::Join': [':', [arnOf(fnId), 'live']] });
const version = { 'Fn::GetAtt': ['GetLambdaVersionAbc', 'Version'] };

/** Dev as the framework compiles it: a route on $LATEST, a queue consumer, a table. */
function aDevTemplate(): CfnTemplate {
  return structuredClone({
    Resources: {
      GetLambdaFunction: { Type: 'AWS::Lambda::Function', Properties: {} },
      ConsumeLambdaFunction: { Type: 'AWS::Lambda::Function', Properties: {} },
      HttpApiIntegrationGet: { Type: 'AWS::ApiGatewayV2::Integration', Properties: { IntegrationUri: arnOf('GetLambdaFunction') } },
      GetLambdaPermissionHttpApi: {
        Type: 'AWS::Lambda::Permission',
        Properties: { FunctionName: arnOf('GetLambdaFunction'), Principal: 'apigateway.amazonaws.com' },
      },
      ConsumeEventSourceMapping: {
        Type: 'AWS::Lambda::EventSourceMapping',
        Properties: { EventSourceArn: arnOf('EventsQueue'), FunctionName: arnOf('ConsumeLambdaFunction') },
      },
      ShopTable: { Type: 'AWS::DynamoDB::Table', Properties: { BillingMode: 'PAY_PER_REQUEST' } },
    },
  }) as CfnTemplate;
}

const errorsAlarm = (fnId: string, dimensions: unknown[] = []) => ({
  Type: 'AWS::CloudWatch::Alarm',
  Properties: {
    Namespace: 'AWS/Lambda',
    MetricName: 'Errors',
    Dimensions: [{ Name: 'FunctionName', Value: { Ref: fnId } }, ...dimensions],
    Threshold: 1,
    ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    AlarmActions: [alerts],
  },
});

/** Prod as the stages plugin leaves it: the route on a warm, canaried live alias, a reserved consumer, a retained table. */
function aProdTemplate(): CfnTemplate {
  const template = aDevTemplate();
  const resources = template.Resources as Record<string, unknown>;
  Object.assign(resources, {
    HttpApiIntegrationGet: { Type: 'AWS::ApiGatewayV2::Integration', Properties: { IntegrationUri: liveArn('GetLambdaFunction') } },
    GetLambdaPermissionHttpApi: {
      Type: 'AWS::Lambda::Permission',
      Properties: { FunctionName: liveArn('GetLambdaFunction'), Principal: 'apigateway.amazonaws.com' },
    },
    ConsumeLambdaFunction: { Type: 'AWS::Lambda::Function', Properties: { ReservedConcurrentExecutions: 10 } },
    ConsumeEventSourceMapping: {
      Type: 'AWS::Lambda::EventSourceMapping',
      Properties: {
        EventSourceArn: arnOf('EventsQueue'),
        FunctionName: arnOf('ConsumeLambdaFunction'),
        ScalingConfig: { MaximumConcurrency: 10 },
      },
    },
    ShopTable: {
      Type: 'AWS::DynamoDB::Table',
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: { BillingMode: 'PAY_PER_REQUEST', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } },
    },
    GetLiveAlias: {
      Type: 'AWS::Lambda::Alias',
      Properties: {
        FunctionName: { Ref: 'GetLambdaFunction' },
        FunctionVersion: version,
        Name: 'live',
        ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: 2 },
      },
      UpdatePolicy: {
        CodeDeployLambdaAliasUpdate: {
          ApplicationName: { Ref: 'CodeDeployApplication' },
          DeploymentGroupName: { Ref: 'GetDeploymentGroup' },
        },
      },
    },
    GetErrorsAlarm: errorsAlarm('GetLambdaFunction', [
      { Name: 'Resource', Value: { 'Fn::Join': [':', [{ Ref: 'GetLambdaFunction' }, 'live']] } },
      { Name: 'ExecutedVersion', Value: version },
    ]),
    ConsumeErrorsAlarm: errorsAlarm('ConsumeLambdaFunction'),
    GetDeploymentGroup: {
      Type: 'AWS::CodeDeploy::DeploymentGroup',
      Properties: {
        ApplicationName: { Ref: 'CodeDeployApplication' },
        ServiceRoleArn: arnOf('CodeDeployServiceRole'),
        DeploymentConfigName: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
        DeploymentStyle: { DeploymentType: 'BLUE_GREEN', DeploymentOption: 'WITH_TRAFFIC_CONTROL' },
        AutoRollbackConfiguration: { Enabled: true, Events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM'] },
        AlarmConfiguration: { Enabled: true, Alarms: [{ Name: { Ref: 'GetErrorsAlarm' } }] },
      },
    },
    CodeDeployApplication: { Type: 'AWS::CodeDeploy::Application', Properties: { ComputePlatform: 'Lambda' } },
    CodeDeployServiceRole: {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: {
          Statement: [{ Effect: 'Allow', Principal: { Service: 'codedeploy.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        },
        ManagedPolicyArns: [{ 'Fn::Sub': 'arn:${AWS::Partition}:iam::aws:policy/service-role/AWSCodeDeployRoleForLambdaLimited' }],
      },
    },
  });
  return template;
}

/** A resource, open to any edit: each case below breaks one rule by hand. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- typing every nested CloudFormation property would hide the edits
const resourceOf = (template: CfnTemplate, id: string) => template.Resources[id] as Record<string, any>;

/** The names of the checks that fail on a pair of stage templates. */
function failedChecks(dev: CfnTemplate, prod: CfnTemplate): string[] {
  return Object.entries(stageTemplateChecks({ dev, prod }, { latencyCritical: ['get'] }, alerts)).flatMap(([name, check]) => {
    try {
      check();
      return [];
    } catch {
      return [name];
    }
  });
}

describe('the checks of the templates of the stages a service ships to', () => {
  it('pass templates that do what each stage asks', () => {
    expect(failedChecks(aDevTemplate(), aProdTemplate())).toEqual([]);
  });

  it.each<[string, (prod: CfnTemplate) => void, RegExp]>([
    [
      'the latency-critical function is not kept warm',
      (t) => delete resourceOf(t, 'GetLiveAlias').Properties.ProvisionedConcurrencyConfig,
      /warm/,
    ],
    [
      'a route invokes $LATEST',
      (t) => (resourceOf(t, 'HttpApiIntegrationGet').Properties.IntegrationUri = arnOf('GetLambdaFunction')),
      /live alias/,
    ],
    [
      'API Gateway may invoke the whole function',
      (t) => (resourceOf(t, 'GetLambdaPermissionHttpApi').Properties.FunctionName = arnOf('GetLambdaFunction')),
      /live alias/,
    ],
    ['the alias updates in place', (t) => delete resourceOf(t, 'GetLiveAlias').UpdatePolicy, /canary/],
    [
      'the release goes all at once',
      (t) => (resourceOf(t, 'GetDeploymentGroup').Properties.DeploymentConfigName = 'CodeDeployDefault.LambdaAllAtOnce'),
      /canary/,
    ],
    [
      'the alarm does not roll the release back',
      (t) => (resourceOf(t, 'GetDeploymentGroup').Properties.AutoRollbackConfiguration.Events = ['DEPLOYMENT_FAILURE']),
      /canary/,
    ],
    ['the alarm watches every version', (t) => resourceOf(t, 'GetErrorsAlarm').Properties.Dimensions.pop(), /canary/],
    [
      'CodeDeploy runs with the unlimited policy',
      (t) =>
        (resourceOf(t, 'CodeDeployServiceRole').Properties.ManagedPolicyArns = [
          { 'Fn::Sub': 'arn:${AWS::Partition}:iam::aws:policy/service-role/AWSCodeDeployRoleForLambda' },
        ]),
      /canary/,
    ],
    ['a function has no error alarm', (t) => delete t.Resources.ConsumeErrorsAlarm, /every function that fails/],
    [
      'an error alarm notifies no one',
      (t) => delete resourceOf(t, 'ConsumeErrorsAlarm').Properties.AlarmActions,
      /every function that fails/,
    ],
    [
      'a consumer has no reserved concurrency',
      (t) => delete resourceOf(t, 'ConsumeLambdaFunction').Properties.ReservedConcurrentExecutions,
      /reserves/,
    ],
    [
      'a queue polls past the reservation',
      (t) => (resourceOf(t, 'ConsumeEventSourceMapping').Properties.ScalingConfig.MaximumConcurrency = 20),
      /reserves/,
    ],
    ['a table is deleted with its stack', (t) => delete resourceOf(t, 'ShopTable').DeletionPolicy, /keeps every table/],
    ['a table is replaced without a copy', (t) => delete resourceOf(t, 'ShopTable').UpdateReplacePolicy, /keeps every table/],
    [
      'a table cannot be recovered',
      (t) => delete resourceOf(t, 'ShopTable').Properties.PointInTimeRecoverySpecification,
      /keeps every table/,
    ],
  ])('fail when in prod %s', (_, breakRule, failingCheck) => {
    const prod = aProdTemplate();
    breakRule(prod);

    expect(failedChecks(aDevTemplate(), prod)).toEqual([expect.stringMatching(failingCheck)]);
  });

  it.each<[string, (dev: CfnTemplate) => void]>([
    ['has an alias', (t) => (t.Resources.GetLiveAlias = aProdTemplate().Resources.GetLiveAlias!)],
    ['deploys by canary', (t) => (t.Resources.GetDeploymentGroup = aProdTemplate().Resources.GetDeploymentGroup!)],
    ['reserves concurrency', (t) => (resourceOf(t, 'ConsumeLambdaFunction').Properties.ReservedConcurrentExecutions = 10)],
    ['alarms on function errors', (t) => (t.Resources.ConsumeErrorsAlarm = aProdTemplate().Resources.ConsumeErrorsAlarm!)],
    ['retains a table', (t) => (resourceOf(t, 'ShopTable').DeletionPolicy = 'Retain')],
    ['keeps point-in-time recovery', (t) => (t.Resources.ShopTable = aProdTemplate().Resources.ShopTable!)],
  ])('fail when dev %s', (_, breakRule) => {
    const dev = aDevTemplate();
    breakRule(dev);

    expect(failedChecks(dev, aProdTemplate())).toEqual([expect.stringMatching(/none of it in dev/)]);
  });
});

describe("the checks of slic-watch's alarms and dashboard in the stages a service ships to", () => {
  const topic = (stage: string) => `arn:aws:sns:us-east-1:000000000000:storefront-${stage}-alerts`;
  const alarm = (stage: string, metric: string, dimension: unknown, extra: Record<string, unknown> = {}) => ({
    Type: 'AWS::CloudWatch::Alarm',
    Properties: {
      Namespace: 'AWS/Lambda',
      MetricName: metric,
      Dimensions: [{ Name: 'Id', Value: dimension }],
      AlarmActions: [topic(stage)],
      ...extra,
    },
  });
  /** One function and one table, with what slic-watch adds for them (errors only where the stage has no alarm of its own). */
  function aWatchedTemplate(stage: 'dev' | 'prod'): CfnTemplate {
    const fn = { Ref: 'GetLambdaFunction' };
    return {
      Resources: {
        GetLambdaFunction: { Type: 'AWS::Lambda::Function', Properties: {} },
        ShopTable: { Type: 'AWS::DynamoDB::Table', Properties: {} },
        ...(stage === 'dev'
          ? { slicWatchLambdaErrorsAlarmGetLambdaFunction: alarm(stage, 'Errors', fn) }
          : { GetErrorsAlarm: alarm(stage, 'Errors', fn) }),
        slicWatchLambdaThrottlesAlarmGetLambdaFunction: alarm(stage, 'Throttles', fn),
        slicWatchLambdaDurationAlarmGetLambdaFunction: alarm(stage, 'Duration', fn),
        slicWatchTableSystemErrorsAlarmShopTable: {
          Type: 'AWS::CloudWatch::Alarm',
          Properties: {
            AlarmActions: [topic(stage)],
            Metrics: [
              { Id: 'errors', Expression: 'SUM([m0,m1])' },
              ...['GetItem', 'PutItem'].map((operation, i) => ({
                Id: `m${i}`,
                MetricStat: {
                  Metric: {
                    Namespace: 'AWS/DynamoDB',
                    MetricName: 'SystemErrors',
                    Dimensions: [
                      { Name: 'TableName', Value: { Ref: 'ShopTable' } },
                      { Name: 'Operation', Value: operation },
                    ],
                  },
                },
              })),
            ],
          },
        },
        ...Object.fromEntries(
          ['ReadThrottleEvents', 'WriteThrottleEvents'].map((metric) => [
            `slicWatchTable${metric}AlarmShopTable`,
            alarm(stage, metric, { Ref: 'ShopTable' }, { Namespace: 'AWS/DynamoDB' }),
          ]),
        ),
        slicWatchDashboard: {
          Type: 'AWS::CloudWatch::Dashboard',
          Properties: { DashboardBody: { 'Fn::Sub': '{"widgets":[["${GetLambdaFunction}"],["${ShopTable}"]]}' } },
        },
      },
    } as CfnTemplate;
  }
  const run = (templates: Record<'dev' | 'prod', CfnTemplate>) => {
    for (const check of Object.values(slicWatchChecks(templates, topic))) check();
  };

  it('pass templates with the alarms and the dashboard slic-watch adds', () => {
    expect(() => run({ dev: aWatchedTemplate('dev'), prod: aWatchedTemplate('prod') })).not.toThrow();
  });

  it.each<[string, (t: CfnTemplate) => void]>([
    ['a service with no dashboard', (t) => delete t.Resources.slicWatchDashboard],
    [
      'a dashboard that leaves out a table',
      (t) => Object.assign(t.Resources.slicWatchDashboard?.Properties ?? {}, { DashboardBody: '{"widgets":[["${GetLambdaFunction}"]]}' }),
    ],
    [
      'a system errors alarm on the table total, which DynamoDB does not publish',
      (t) => {
        const actions = t.Resources.slicWatchTableSystemErrorsAlarmShopTable?.Properties?.AlarmActions;
        const total = alarm('x', 'SystemErrors', { Ref: 'ShopTable' }, { Namespace: 'AWS/DynamoDB', AlarmActions: actions });
        t.Resources.slicWatchTableSystemErrorsAlarmShopTable = total as never;
      },
    ],
    ['a function with no duration alarm', (t) => delete t.Resources.slicWatchLambdaDurationAlarmGetLambdaFunction],
    [
      'an alarm on the same metric twice',
      (t) => (t.Resources.GetThrottlesAgain = t.Resources.slicWatchLambdaThrottlesAlarmGetLambdaFunction as never),
    ],
    [
      'an alarm that notifies no one',
      (t) => Object.assign(t.Resources.slicWatchLambdaDurationAlarmGetLambdaFunction?.Properties ?? {}, { AlarmActions: [] }),
    ],
  ])('fail on %s, in dev and in prod', (_defect, seed) => {
    for (const stage of ['dev', 'prod'] as const) {
      const templates = { dev: aWatchedTemplate('dev'), prod: aWatchedTemplate('prod') };
      seed(templates[stage]);

      expect(() => run(templates)).toThrow();
    }
  });
});
