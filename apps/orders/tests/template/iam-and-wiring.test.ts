import { join } from 'node:path';
import { packagedTemplate, type CfnResource } from '../support/packaged-template';

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

const template = packagedTemplate(join(import.meta.dirname, '../..'), 'orders');
const resources = Object.entries(template.Resources);
const functions = resources.filter(([, r]) => r.Type === 'AWS::Lambda::Function');
const roleOf = (fn: CfnResource) => (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
const statementsOf = (roleId: string): Statement[] =>
  ((template.Resources[roleId]?.Properties.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[]).flatMap((p) => p.PolicyDocument.Statement);
const asList = <T>(value: T | T[]) => (Array.isArray(value) ? value : [value]);

/** AWS offers no resource-level scoping for these; '*' is the only valid resource. */
const ACTIONS_THAT_REQUIRE_STAR = new Set(['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'cloudwatch:PutMetricData']);

describe('the packaged orders template', () => {
  it('gives every function a role of its own', () => {
    const roles = functions.map(([, fn]) => roleOf(fn));

    expect(functions.length).toBeGreaterThan(0);
    expect(new Set(roles).size).toBe(functions.length);
    for (const [logicalId, fn] of functions) expect(roleOf(fn)).toBe(logicalId.replace(/LambdaFunction$/, 'IamRoleLambdaExecution'));
  });

  it('never grants a wildcard action, and a wildcard resource only where AWS requires it', () => {
    for (const [, fn] of functions) {
      for (const statement of statementsOf(roleOf(fn))) {
        const actions = asList(statement.Action);
        expect(actions.filter((action) => action.includes('*'))).toEqual([]);
        if (asList(statement.Resource).includes('*')) expect(actions.filter((action) => !ACTIONS_THAT_REQUIRE_STAR.has(action))).toEqual([]);
      }
    }
  });

  it('lets only the relay publish to the orders topic', () => {
    const publishers = functions.filter(([, fn]) => statementsOf(roleOf(fn)).some((s) => asList(s.Action).includes('sns:Publish')));

    expect(publishers.map(([id]) => id)).toEqual(['PublishEventsLambdaFunction']);
  });

  it('runs every function on arm64 Node 22 with active tracing and cost tags', () => {
    for (const [, fn] of functions) {
      expect(fn.Properties).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], TracingConfig: { Mode: 'Active' } });
      const tags = Object.fromEntries((fn.Properties.Tags as { Key: string; Value: string }[]).map((t) => [t.Key, t.Value]));
      expect(tags).toMatchObject({ service: 'storefront-orders', stage: 'local' });
    }
  });

  it('retries a failed publish from the stream, bisecting, then parks it on a failure queue', () => {
    const mapping = resources.find(([, r]) => r.Type === 'AWS::Lambda::EventSourceMapping')?.[1].Properties;

    expect(mapping).toMatchObject({
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 5,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['OrdersOutboxFailedQueue', 'Arn'] } } },
    });
  });
});
