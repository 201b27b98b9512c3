import { routesOf } from '@storefront/contracts';
import { describeServiceTemplate, functionRoles, requirePackagedTemplate } from '@storefront/testing';
import { consumes as orderEventsConsumed } from '../../src/handlers/count-confirmed-orders.consumes';
import { consumes as paymentEventsConsumed } from '../../src/handlers/count-refunds.consumes';

const template = describeServiceTemplate('reporting', {
  routes: routesOf('reporting'),
  subscriptions: [
    { queue: 'OrderEvents', topic: 'orders', consumer: 'countConfirmedOrders', consumes: orderEventsConsumed },
    { queue: 'PaymentEvents', topic: 'payments', consumer: 'countRefunds', consumes: paymentEventsConsumed },
  ],
  outboxRelay: { function: 'publishEvents', table: 'ReportingTable', topic: 'reports' },
  scheduleDeadLetterQueues: ['DailyReportScheduleDeadLetterQueue'],
});

/** A resource with its properties: `{}` where it has none (or is missing), so the assertions say what is not there. */
const resource = (logicalId: string) => {
  const { Type = 'missing', Properties = {} } = template.Resources[logicalId] ?? {};
  return { Type, Properties };
};
const ofType = (type: string) => Object.entries(template.Resources).filter(([, r]) => r.Type === type);
const machine = { Ref: 'DailyReportStateMachine' };
const reportFiles = { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['ReportsBucket', 'Arn'] }, '/reports/daily/*']] };
const statementsAllowing = (action: string) =>
  functionRoles(template).flatMap(({ functionId, statements }) =>
    statements.filter((s) => [s.Action].flat().includes(action)).map((s) => ({ functionId, resource: s.Resource })),
  );

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Principal?: unknown;
  Condition?: unknown;
}

describe('the nightly schedule', () => {
  const schedules = ofType('AWS::Scheduler::Schedule');
  const schedule = resource('DailyReportSchedule').Properties;
  const target = schedule.Target as { Arn: unknown; RoleArn: unknown; Input: string; DeadLetterConfig: unknown };

  it('is one EventBridge Scheduler schedule at 00:15 UTC, starting the daily report workflow', () => {
    expect(schedules.map(([id]) => id)).toEqual(['DailyReportSchedule']);
    expect(schedule).toMatchObject({ ScheduleExpression: 'cron(15 0 * * ? *)', ScheduleExpressionTimezone: 'UTC', State: 'ENABLED' });
    expect(target.Arn).toEqual(machine);
  });

  it('asks for the time it was due and its execution id, so the run reports the day before it under one correlation id', () => {
    expect(JSON.parse(target.Input)).toEqual({
      trigger: 'schedule',
      scheduledTime: '<aws.scheduler.scheduled-time>',
      correlationId: '<aws.scheduler.execution-id>',
    });
  });

  it('runs as a role of its own, which only Scheduler of this account may assume, and no function runs as', () => {
    const role = resource('DailyReportScheduleRole');
    const trust = (role.Properties.AssumeRolePolicyDocument as { Statement: Statement[] }).Statement;

    expect(target.RoleArn).toEqual({ 'Fn::GetAtt': ['DailyReportScheduleRole', 'Arn'] });
    expect(role.Type).toBe('AWS::IAM::Role');
    expect(trust).toEqual([
      {
        Effect: 'Allow',
        Principal: { Service: 'scheduler.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
      },
    ]);
    expect(functionRoles(template).map((f) => f.roleId)).not.toContain('DailyReportScheduleRole');
  });

  it('lets that role start the daily report workflow and nothing else, and park a run it could not start', () => {
    const statements = (
      resource('DailyReportScheduleRole').Properties.Policies as { PolicyDocument: { Statement: Statement[] } }[]
    ).flatMap((p) => p.PolicyDocument.Statement);

    expect(statements).toEqual([
      { Effect: 'Allow', Action: ['states:StartExecution'], Resource: machine },
      { Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: { 'Fn::GetAtt': ['DailyReportScheduleDeadLetterQueue', 'Arn'] } },
    ]);
    expect(target.DeadLetterConfig).toEqual({ Arn: { 'Fn::GetAtt': ['DailyReportScheduleDeadLetterQueue', 'Arn'] } });
  });

  it('is the only way in besides the build route: no function but buildDailyReport may start the workflow', () => {
    expect(statementsAllowing('states:StartExecution')).toEqual([{ functionId: 'BuildDailyReportLambdaFunction', resource: machine }]);
  });
});

describe('the reports bucket', () => {
  const bucket = resource('ReportsBucket').Properties;

  it('blocks every kind of public access and lets no ACL grant any', () => {
    expect(bucket.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
  });

  it('encrypts every object at rest by default', () => {
    expect(bucket.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: true }],
    });
  });

  it('ages the daily reports out (infrequent access, then deleted) and clears abandoned uploads', () => {
    const rules = (bucket.LifecycleConfiguration as { Rules: Record<string, unknown>[] }).Rules;

    expect(rules).toContainEqual(
      expect.objectContaining({ Status: 'Enabled', Prefix: 'reports/daily/', ExpirationInDays: 400, Transitions: [expect.anything()] }),
    );
    expect(rules).toContainEqual(
      expect.objectContaining({ Status: 'Enabled', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }),
    );
  });

  it('refuses any request that is not over TLS', () => {
    const policy = resource('ReportsBucketPolicy').Properties;

    expect(policy.Bucket).toEqual({ Ref: 'ReportsBucket' });
    expect((policy.PolicyDocument as { Statement: Statement[] }).Statement).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Principal: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
  });

  it('lets only the file writer put report files and only the report route read them (for its download links)', () => {
    expect(statementsAllowing('s3:PutObject')).toEqual([{ functionId: 'WriteDailyReportLambdaFunction', resource: reportFiles }]);
    expect(statementsAllowing('s3:GetObject')).toEqual([{ functionId: 'GetDailyReportLambdaFunction', resource: reportFiles }]);
  });
});

interface State {
  Type: string;
  Resource?: string;
  Next?: string;
  End?: boolean;
  Catch?: { ErrorEquals: string[]; Next: string }[];
  Iterator?: { StartAt: string; States: Record<string, State> };
  MaxConcurrency?: number;
}

/** The definition as deployed: the Fn::Sub text with each task's placeholder named by the function it stands for. */
function dailyReportDefinition() {
  const [text, placeholders] = (
    resource('DailyReportStateMachine').Properties.DefinitionString as { 'Fn::Sub': [string, Record<string, unknown>] }
  )['Fn::Sub'];
  const named = Object.entries(placeholders).reduce(
    (definition, [placeholder, arn]) =>
      definition.replaceAll(`\${${placeholder}}`, (arn as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0] as string),
    text,
  );
  return JSON.parse(named) as { StartAt: string; TimeoutSeconds: number; States: Record<string, State> };
}

describe('the daily report workflow', () => {
  const definition = dailyReportDefinition();
  const day = definition.States.BuildEachDay?.Iterator?.States ?? {};

  it('plans the days, then builds them one at a time: write the files, record the report', () => {
    expect(definition.StartAt).toBe('PlanReports');
    expect(definition.States.PlanReports).toMatchObject({ Resource: 'PlanDailyReportsLambdaFunction', Next: 'BuildEachDay' });
    expect(definition.States.BuildEachDay).toMatchObject({ Type: 'Map', MaxConcurrency: 1, End: true });
    expect(day.WriteReport).toMatchObject({ Resource: 'WriteDailyReportLambdaFunction', Next: 'DayTaken' });
    expect(day.RecordReport).toMatchObject({ Resource: 'RecordDailyReportLambdaFunction', End: true });
  });

  it('releases the day when writing or recording fails for good, then fails the run (alarmed)', () => {
    for (const state of [day.WriteReport, day.RecordReport])
      expect(state?.Catch).toEqual([expect.objectContaining({ ErrorEquals: ['States.ALL'], Next: 'ReleaseBuild' })]);
    expect(day.ReleaseBuild).toMatchObject({ Resource: 'ReleaseReportBuildLambdaFunction', Next: 'BuildFailed' });
    expect(day.BuildFailed?.Type).toBe('Fail');
    // Failed and timed-out runs alarm through slic-watch, aborted ones through serverless-step-functions.
    for (const stage of ['dev', 'prod'])
      expect(
        Object.values(requirePackagedTemplate('reporting', stage).Resources)
          .filter((r) => r.Type === 'AWS::CloudWatch::Alarm' && r.Properties?.Namespace === 'AWS/States')
          .map((a) => a.Properties?.MetricName)
          .sort(),
      ).toEqual(['ExecutionThrottled', 'ExecutionsAborted', 'ExecutionsFailed', 'ExecutionsTimedOut']);
  });

  it('ends well inside the time a build holds its day (15 minutes)', () => {
    expect(definition.TimeoutSeconds).toBeLessThan(15 * 60);
  });
});
