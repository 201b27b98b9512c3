import type { CfnResource, CfnTemplate } from '@storefront/packaging';
import { failureQueues } from './templates';

/** The stages every service ships to, as packaged for the template tests. */
export const SHIPPED_STAGES = ['dev', 'prod'] as const;
export type ShippedStage = (typeof SHIPPED_STAGES)[number];

export interface StageTemplateRules {
  /** The functions marked `latencyCritical: true` in serverless.yml, as named there. */
  latencyCritical?: string[];
}

type Ref = { Ref: string };
type GetAtt = { 'Fn::GetAtt': [string, string] };

const LIVE_ALIAS = 'live';
const CANARY_ROLLBACK_EVENTS = ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM'];
const CODEDEPLOY_POLICY = 'arn:${AWS::Partition}:iam::aws:policy/service-role/AWSCodeDeployRoleForLambdaLimited';

/** `placeOrder` → `PlaceOrderLambdaFunction`, the logical id the framework gives a function. */
const functionId = (name: string) => `${name.charAt(0).toUpperCase()}${name.slice(1)}LambdaFunction`;
/** What routes and permissions name to invoke a function's `live` alias. */
const liveAliasArn = (fnId: string) => ({ 'Fn::Join': [':', [{ 'Fn::GetAtt': [fnId, 'Arn'] }, LIVE_ALIAS]] });
const refTo = (value: unknown) => (value as Ref | undefined)?.Ref;
const getAttOf = (value: unknown) => (value as GetAtt | undefined)?.['Fn::GetAtt']?.[0];

/** A template's resources of one type, by logical id. */
const ofType = (template: CfnTemplate, type: string): [string, CfnResource][] =>
  Object.entries(template.Resources).filter(([, r]) => r.Type === type);

/** The function a route integration or an invoke permission targets, whether through an alias or as $LATEST. */
function invokedFunction(target: unknown): string | undefined {
  const parts = (target as { 'Fn::Join'?: [string, unknown[]] } | undefined)?.['Fn::Join']?.[1];
  return getAttOf(parts ? parts[0] : target);
}

/** The logical ids of the functions behind HTTP routes. */
export function httpFunctions(template: CfnTemplate): string[] {
  const ids = ofType(template, 'AWS::ApiGatewayV2::Integration').map(([, r]) => invokedFunction(r.Properties?.IntegrationUri));
  return [...new Set(ids.filter((id): id is string => Boolean(id)))].sort();
}

/** The logical ids of the functions an event source mapping (a queue or a stream) feeds. */
export function consumerFunctions(template: CfnTemplate): string[] {
  const ids = ofType(template, 'AWS::Lambda::EventSourceMapping').map(([, r]) => getAttOf(r.Properties?.FunctionName));
  return [...new Set(ids.filter((id): id is string => Boolean(id)))].sort();
}

const aliasOf = (template: CfnTemplate, fnId: string) =>
  ofType(template, 'AWS::Lambda::Alias').find(([, r]) => refTo(r.Properties?.FunctionName) === fnId);

/** slic-watch names every resource it adds `slicWatch…`; the repo's own alarms are named after what they watch. */
const SLIC_WATCH = /^slicWatch/;

const allErrorAlarms = (template: CfnTemplate) =>
  ofType(template, 'AWS::CloudWatch::Alarm').filter(
    ([, r]) => r.Properties?.Namespace === 'AWS/Lambda' && r.Properties?.MetricName === 'Errors',
  );
/** The repo's own error alarms (the stages plugin's, which canaries roll back on), not slic-watch's. */
const lambdaErrorAlarms = (template: CfnTemplate) => allErrorAlarms(template).filter(([id]) => !SLIC_WATCH.test(id));

const dimension = (alarm: CfnResource, name: string) =>
  (alarm.Properties?.Dimensions as { Name: string; Value: unknown }[]).find((d) => d.Name === name)?.Value;

/**
 * The checks a service's dev and prod templates must pass, by what each stage promises (`stageSettings` in
 * libs/serverless-base): in prod, canary releases of every HTTP function through its `live` alias (which its routes
 * invoke) rolled back by its error alarm, provisioned concurrency on exactly the latency-critical functions, reserved
 * concurrency on every consumer, an error alarm on every function, and every table retained and recoverable; in dev,
 * none of it. `alertsTopic` is what the prod alarms must notify.
 */
export function stageTemplateChecks(
  { dev, prod }: Record<ShippedStage, CfnTemplate>,
  { latencyCritical = [] }: StageTemplateRules,
  alertsTopic: unknown,
): Record<string, () => void> {
  const warm = latencyCritical.map(functionId).sort();
  return {
    [`keeps ${latencyCritical.join(' and ') || 'no function'} warm in prod: provisioned concurrency on the live alias, on no other function`]:
      () => {
        const provisioned = ofType(prod, 'AWS::Lambda::Alias')
          .filter(([, alias]) => alias.Properties?.ProvisionedConcurrencyConfig !== undefined)
          .map(([, alias]) => {
            expect(alias.Properties?.Name).toBe(LIVE_ALIAS);
            expect(
              (alias.Properties?.ProvisionedConcurrencyConfig as Record<string, number>).ProvisionedConcurrentExecutions,
            ).toBeGreaterThan(0);
            return refTo(alias.Properties?.FunctionName);
          });

        expect(provisioned.sort()).toEqual(warm);
      },

    "has every route invoke its function's live alias in prod, never $LATEST, and API Gateway may invoke only that alias": () => {
      const http = httpFunctions(prod);
      const permissions = ofType(prod, 'AWS::Lambda::Permission').filter(([, p]) => p.Properties?.Principal === 'apigateway.amazonaws.com');

      expect(http.length).toBeGreaterThan(0);
      for (const [, integration] of ofType(prod, 'AWS::ApiGatewayV2::Integration'))
        expect(integration.Properties?.IntegrationUri).toEqual(liveAliasArn(invokedFunction(integration.Properties?.IntegrationUri) ?? ''));
      for (const fnId of http) expect(aliasOf(prod, fnId)?.[1].Properties?.Name).toBe(LIVE_ALIAS);
      for (const [, permission] of permissions)
        expect(permission.Properties?.FunctionName).toEqual(liveAliasArn(invokedFunction(permission.Properties?.FunctionName) ?? ''));
    },

    'releases every HTTP function by canary in prod (CodeDeploy), rolled back when its error alarm on the new version fires': () => {
      const http = httpFunctions(prod);
      const groups = ofType(prod, 'AWS::CodeDeploy::DeploymentGroup');

      expect(groups).toHaveLength(http.length);
      for (const fnId of http) {
        const [aliasId, alias] = aliasOf(prod, fnId) ?? [];
        const update = alias?.UpdatePolicy?.CodeDeployLambdaAliasUpdate as
          { ApplicationName: unknown; DeploymentGroupName: unknown } | undefined;
        const group = prod.Resources[refTo(update?.DeploymentGroupName) ?? ''];
        const alarms = (group?.Properties?.AlarmConfiguration as { Alarms?: { Name: unknown }[] } | undefined)?.Alarms ?? [];
        const alarm = prod.Resources[refTo(alarms[0]?.Name) ?? ''];

        expect({ fnId, aliasId, group: group?.Type, alarms: alarms.length, alarm: alarm?.Type }).toEqual({
          fnId,
          aliasId: expect.any(String),
          group: 'AWS::CodeDeploy::DeploymentGroup',
          alarms: 1,
          alarm: 'AWS::CloudWatch::Alarm',
        });
        expect(prod.Resources[refTo(update?.ApplicationName) ?? '']?.Properties).toEqual({ ComputePlatform: 'Lambda' });
        expect(group?.Properties).toMatchObject({
          DeploymentConfigName: expect.stringMatching(/^CodeDeployDefault\.LambdaCanary/),
          DeploymentStyle: { DeploymentType: 'BLUE_GREEN', DeploymentOption: 'WITH_TRAFFIC_CONTROL' },
          AutoRollbackConfiguration: { Enabled: true, Events: expect.arrayContaining(CANARY_ROLLBACK_EVENTS) },
          AlarmConfiguration: { Enabled: true },
        });
        expect(prod.Resources[getAttOf(group?.Properties?.ServiceRoleArn) ?? '']?.Properties).toMatchObject({
          AssumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { Service: 'codedeploy.amazonaws.com' } }] },
          ManagedPolicyArns: [{ 'Fn::Sub': CODEDEPLOY_POLICY }],
        });
        expect(alarm && dimension(alarm, 'Resource')).toEqual({ 'Fn::Join': [':', [{ Ref: fnId }, LIVE_ALIAS]] });
        expect(alarm && dimension(alarm, 'ExecutedVersion')).toEqual(alias?.Properties?.FunctionVersion);
        expect(alarm?.Properties).toMatchObject({ Namespace: 'AWS/Lambda', MetricName: 'Errors', AlarmActions: [alertsTopic] });
      }
    },

    'alarms to the alerts topic on every function that fails an invocation in prod': () => {
      const watched = lambdaErrorAlarms(prod).map(([, alarm]) => {
        expect(alarm.Properties).toMatchObject({
          Threshold: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          AlarmActions: [alertsTopic],
        });
        return refTo(dimension(alarm, 'FunctionName'));
      });

      expect(watched.sort()).toEqual(
        ofType(prod, 'AWS::Lambda::Function')
          .map(([id]) => id)
          .sort(),
      );
    },

    'reserves concurrency for every queue and stream consumer in prod, and no queue polls past it': () => {
      const consumers = consumerFunctions(prod);

      expect(consumers.length).toBeGreaterThan(0);
      for (const fnId of consumers) expect(prod.Resources[fnId]?.Properties?.ReservedConcurrentExecutions).toBeGreaterThan(0);
      for (const [, mapping] of ofType(prod, 'AWS::Lambda::EventSourceMapping')) {
        const reserved = prod.Resources[getAttOf(mapping.Properties?.FunctionName) ?? '']?.Properties
          ?.ReservedConcurrentExecutions as number;
        const queueLimit = (mapping.Properties?.ScalingConfig as { MaximumConcurrency?: number } | undefined)?.MaximumConcurrency;
        if (JSON.stringify(mapping.Properties?.EventSourceArn).includes('Queue')) expect(queueLimit).toBeLessThanOrEqual(reserved);
      }
    },

    'keeps every table when its stack is deleted or the table replaced, and recoverable to any second, in prod': () => {
      const tables = ofType(prod, 'AWS::DynamoDB::Table');

      for (const [, table] of tables)
        expect(table).toMatchObject({
          DeletionPolicy: 'Retain',
          UpdateReplacePolicy: 'Retain',
          Properties: { PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } },
        });
    },

    'has none of it in dev: no alias, canary, provisioned or reserved concurrency, canary error alarm, retained or recoverable table':
      () => {
        const found = [
          ...ofType(dev, 'AWS::Lambda::Alias').map(([id]) => `alias ${id}`),
          ...Object.entries(dev.Resources)
            .filter(([, r]) => r.Type.startsWith('AWS::CodeDeploy::'))
            .map(([id]) => `CodeDeploy ${id}`),
          ...lambdaErrorAlarms(dev).map(([id]) => `canary error alarm ${id}`),
          ...ofType(dev, 'AWS::Lambda::Function')
            .filter(([, fn]) => fn.Properties?.ReservedConcurrentExecutions !== undefined)
            .map(([id]) => `reserved concurrency on ${id}`),
          ...ofType(dev, 'AWS::DynamoDB::Table')
            .filter(([, t]) => t.DeletionPolicy === 'Retain' || t.UpdateReplacePolicy === 'Retain')
            .map(([id]) => `retained ${id}`),
          ...ofType(dev, 'AWS::DynamoDB::Table')
            .filter(([, t]) => t.Properties?.PointInTimeRecoverySpecification !== undefined)
            .map(([id]) => `point-in-time recovery on ${id}`),
          ...ofType(dev, 'AWS::ApiGatewayV2::Integration')
            .filter(([, i]) => !getAttOf(i.Properties?.IntegrationUri))
            .map(([id]) => `${id} not on $LATEST`),
        ];

        expect(found).toEqual([]);
      },
  };
}

type MetricMath = { MetricStat?: { Metric: { Namespace: string; MetricName: string; Dimensions: { Value: unknown }[] } } }[];
const firstMetric = (alarm: CfnResource) =>
  (alarm.Properties?.Metrics as MetricMath | undefined)?.find((m) => m.MetricStat)?.MetricStat?.Metric;

/** `<namespace> <metric>` an alarm watches, or its metric math's first metric's (throttles over invocations, system errors per operation). */
const metricOf = (alarm: CfnResource) => String(alarm.Properties?.MetricName ?? firstMetric(alarm)?.MetricName);
const namespaceOf = (alarm: CfnResource) => String(alarm.Properties?.Namespace ?? firstMetric(alarm)?.Namespace);

/** The alarms of a template that slic-watch added, as `<metric> <logical id it watches>`, sorted. */
export function slicWatchAlarms(template: CfnTemplate): string[] {
  return ofType(template, 'AWS::CloudWatch::Alarm')
    .filter(([id]) => SLIC_WATCH.test(id))
    .map(([, alarm]) => `${metricOf(alarm)} ${watchedResource(alarm) ?? '?'}`)
    .sort();
}

/**
 * What an alarm watches: the logical id referenced in its first dimension, and the literal values of the others (a
 * table's index): `OrdersTable`, `OrdersTable/GSI1`; for metric math, its first metric's resource alone.
 */
function watchedResource(alarm: CfnResource): string | undefined {
  const direct = alarm.Properties?.Dimensions as { Value: unknown }[] | undefined;
  const [first, ...others] = (direct ?? firstMetric(alarm)?.Dimensions.slice(0, 1) ?? []).map((d) => d.Value);
  const resource = refTo(first) ?? getAttOf(first) ?? (typeof first === 'string' ? first : undefined);
  return resource && [resource, ...others.filter((v): v is string => typeof v === 'string')].join('/');
}

/** The functions a DynamoDB stream feeds (SQS consumers never report an iterator age). */
const streamConsumers = (template: CfnTemplate) =>
  ofType(template, 'AWS::Lambda::EventSourceMapping')
    .filter(([, m]) => (m.Properties?.EventSourceArn as GetAtt | undefined)?.['Fn::GetAtt']?.[1] === 'StreamArn')
    .map(([, m]) => getAttOf(m.Properties?.FunctionName))
    .filter((id): id is string => Boolean(id));

/**
 * The alarms slic-watch must add to a service's template in a watched stage (the base config's `custom.slicWatch`):
 * per function errors (unless the stage has the repo's own error alarm, prod), throttles and duration, iterator age
 * for stream consumers only; message age per queue except failure queues (their depth alarm is the repo's); read and
 * write throttles and system errors per table (throttles per index too); failed, timed-out and throttled executions per
 * state machine; failed invocations and throttles per EventBridge rule (a schedule).
 */
export function expectedSlicWatchAlarms(template: CfnTemplate, { repoErrorAlarms }: { repoErrorAlarms: boolean }): string[] {
  const ids = (type: string) => ofType(template, type).map(([id]) => id);
  const failureQueueIds = new Set(failureQueues(template));
  return [
    ...ids('AWS::Lambda::Function').flatMap((fn) => [...(repoErrorAlarms ? [] : [`Errors ${fn}`]), `Throttles ${fn}`, `Duration ${fn}`]),
    ...streamConsumers(template).map((fn) => `IteratorAge ${fn}`),
    ...ids('AWS::SQS::Queue')
      .filter((queue) => !failureQueueIds.has(queue))
      .map((queue) => `ApproximateAgeOfOldestMessage ${queue}`),
    ...ofType(template, 'AWS::DynamoDB::Table').flatMap(([table, resource]) => [
      ...['ReadThrottleEvents', 'WriteThrottleEvents', 'SystemErrors'].map((metric) => `${metric} ${table}`),
      ...((resource.Properties?.GlobalSecondaryIndexes ?? []) as { IndexName: string }[]).flatMap(({ IndexName }) =>
        ['ReadThrottleEvents', 'WriteThrottleEvents'].map((metric) => `${metric} ${table}/${IndexName}`),
      ),
    ]),
    ...ids('AWS::StepFunctions::StateMachine').flatMap((machine) =>
      ['ExecutionThrottled', 'ExecutionsFailed', 'ExecutionsTimedOut'].map((metric) => `${metric} ${machine}`),
    ),
    ...ids('AWS::Events::Rule').flatMap((rule) => ['FailedInvocations', 'ThrottledRules'].map((metric) => `${metric} ${rule}`)),
  ].sort();
}

/**
 * What slic-watch must give a service's dev and prod templates: exactly the alarms of `expectedSlicWatchAlarms`, one
 * dashboard charting every function, queue, table and state machine, no metric alarmed twice (slic-watch's, the
 * repo's own and serverless-step-functions' together), and every alarm to the alerts topic.
 */
export function slicWatchChecks(templates: Record<ShippedStage, CfnTemplate>, alertsTopic: (stage: ShippedStage) => unknown) {
  const checks: Record<string, () => void> = {};
  for (const stage of SHIPPED_STAGES) {
    const template = templates[stage];
    const repoErrorAlarms = stage === 'prod';

    checks[
      `has slic-watch's alarms in ${stage}: ${repoErrorAlarms ? '' : 'errors, '}throttles and duration per function, iterator age per stream consumer, message age per queue but failure queues, throttles and system errors per table, failed, timed-out and throttled executions per state machine`
    ] = () => {
      expect(slicWatchAlarms(template)).toEqual(expectedSlicWatchAlarms(template, { repoErrorAlarms }));
    };

    checks[`sums DynamoDB's system errors over the operations in ${stage}, as DynamoDB publishes them per operation only`] = () => {
      const systemErrors = ofType(template, 'AWS::CloudWatch::Alarm').filter(
        ([id, a]) => SLIC_WATCH.test(id) && metricOf(a) === 'SystemErrors',
      );

      expect(systemErrors).toHaveLength(ofType(template, 'AWS::DynamoDB::Table').length);
      for (const [, alarm] of systemErrors) {
        const metrics = (alarm.Properties?.Metrics as MetricMath).filter((m) => m.MetricStat);
        const operations = metrics.map((m) => (m.MetricStat?.Metric.Dimensions as { Name?: string; Value: unknown }[]).map((d) => d.Name));

        expect({ direct: alarm.Properties?.MetricName, sums: metrics.length > 1 }).toEqual({ direct: undefined, sums: true });
        for (const names of operations) expect(names).toEqual(['TableName', 'Operation']);
      }
    };

    checks[`has one slic-watch dashboard in ${stage}, charting every function, queue, table and state machine`] = () => {
      const dashboards = ofType(template, 'AWS::CloudWatch::Dashboard');
      const body = JSON.stringify(dashboards[0]?.[1].Properties?.DashboardBody);
      const charted = ['AWS::Lambda::Function', 'AWS::SQS::Queue', 'AWS::DynamoDB::Table', 'AWS::StepFunctions::StateMachine'].flatMap(
        (type) => ofType(template, type).map(([id]) => id),
      );

      expect(dashboards.map(([id]) => id)).toEqual(['slicWatchDashboard']);
      expect(charted.filter((id) => !body.includes(`\${${id}`))).toEqual([]);
    };

    checks[`alarms on no metric twice in ${stage}, and every alarm notifies the alerts topic`] = () => {
      const watched = ofType(template, 'AWS::CloudWatch::Alarm').map(([id, alarm]) => {
        expect({ id, actions: alarm.Properties?.AlarmActions }).toEqual({ id, actions: [alertsTopic(stage)] });
        return `${namespaceOf(alarm)} ${metricOf(alarm)} ${watchedResource(alarm) ?? '?'}`;
      });

      expect(watched.filter((alarm, i) => watched.indexOf(alarm) !== i)).toEqual([]);
    };
  }
  return checks;
}
