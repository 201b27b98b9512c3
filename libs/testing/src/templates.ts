import { join, relative } from 'node:path';
// The packaging project owns the one model of a template and its one reader; this lib only adds what tests want of
// them. It is the one lib that may import a tool (eslint.config.js), as it reads what the packaging tool wrote.
// Tests reach it through its tsconfig path, not node_modules: a test in a copy of the workspace (which shares
// node_modules) reads the copy's packages, not this workspace's.
import {
  type CfnTemplate,
  type ComposeService,
  LOCAL_STAGE,
  packagedTemplate,
  packagedTemplateFile,
  workspaceRoot,
} from '@storefront/packaging';

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

/** apps/<service> in the shape the packaging project's readers take a service: its folder. */
export const serviceApp = (service: string): Pick<ComposeService, 'dir'> => ({ dir: join(workspaceRoot, 'apps', service) });

/**
 * The CloudFormation template `serverless package` compiled for apps/<service>, for the local stage unless another
 * is named (packaged into `.stages/<stage>/`, beside the local one). It never packages: a test must read the template
 * its Nx `package` (or `package-stages`) target just built (`nx run <service>:test` depends on both, and `npm test`
 * packages every service first), not one it silently built from whatever was there.
 */
export function requirePackagedTemplate(service: string, stage: string = LOCAL_STAGE): CfnTemplate {
  const template = packagedTemplate(serviceApp(service), stage);
  const packageTarget = stage === LOCAL_STAGE ? 'package' : 'package-stages';
  if (!template)
    throw new Error(
      `${relative(workspaceRoot, packagedTemplateFile(serviceApp(service), stage))} is missing: run \`npx nx run ${service}:${packageTarget}\` (or \`npm test\`) first`,
    );
  return template;
}

/** AWS offers no resource-level scoping for these actions; '*' is their only valid resource. */
const ACTIONS_THAT_REQUIRE_STAR = new Set(['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'cloudwatch:PutMetricData']);
const asList = <T>(value: T | T[]) => (Array.isArray(value) ? value : [value]);

/** Each function with the role it runs as and that role's statements. */
export function functionRoles(template: CfnTemplate) {
  return Object.entries(template.Resources)
    .filter(([, r]) => r.Type === 'AWS::Lambda::Function')
    .map(([functionId, fn]) => {
      const roleId = (fn.Properties?.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      const policies = (template.Resources[roleId]?.Properties?.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[];
      return { functionId, roleId, statements: policies.flatMap((p) => p.PolicyDocument.Statement) };
    });
}

/** What breaks least privilege: shared roles, wildcard actions, wildcard resources AWS does not require. */
export function leastPrivilegeViolations(template: CfnTemplate): string[] {
  const roles = functionRoles(template);
  const violations: string[] = [];
  const owners = new Map<string, string[]>();
  for (const { functionId, roleId } of roles) owners.set(roleId, [...(owners.get(roleId) ?? []), functionId]);
  for (const [roleId, functions] of owners) if (functions.length > 1) violations.push(`${functions.join(', ')} share role ${roleId}`);
  for (const { functionId, statements } of roles) {
    for (const statement of statements) {
      const actions = asList(statement.Action);
      for (const action of actions.filter((a) => a.includes('*'))) violations.push(`${functionId} may do ${action}`);
      if (asList(statement.Resource).includes('*')) {
        for (const action of actions.filter((a) => !ACTIONS_THAT_REQUIRE_STAR.has(a)))
          violations.push(`${functionId} may do ${action} on any resource`);
      }
    }
  }
  return violations;
}

/** Queues that hold failures: every dead-letter queue (of a queue or a schedule) and every event source's on-failure destination. */
export function failureQueues(template: CfnTemplate): string[] {
  const targets = Object.values(template.Resources).map((r) =>
    r.Type === 'AWS::SQS::Queue'
      ? (r.Properties?.RedrivePolicy as { deadLetterTargetArn?: { 'Fn::GetAtt'?: string[] } } | undefined)?.deadLetterTargetArn
      : r.Type === 'AWS::Lambda::EventSourceMapping'
        ? (r.Properties?.DestinationConfig as { OnFailure?: { Destination?: { 'Fn::GetAtt'?: string[] } } } | undefined)?.OnFailure
            ?.Destination
        : r.Type === 'AWS::Scheduler::Schedule'
          ? (r.Properties?.Target as { DeadLetterConfig?: { Arn?: { 'Fn::GetAtt'?: string[] } } } | undefined)?.DeadLetterConfig?.Arn
          : undefined,
  );
  return [...new Set(targets.map((t) => t?.['Fn::GetAtt']?.[0]).filter((id): id is string => Boolean(id)))].sort();
}

/** Failure queues no alarm watches, and queue alarms that notify no one: both should be empty. */
export function alertingGaps(template: CfnTemplate): string[] {
  const alarms = Object.values(template.Resources).filter(
    (r) => r.Type === 'AWS::CloudWatch::Alarm' && r.Properties?.Namespace === 'AWS/SQS',
  );
  const watched = alarms.map((a) => (a.Properties?.Dimensions as { Value: { 'Fn::GetAtt': string[] } }[])[0]?.Value['Fn::GetAtt'][0]);
  return [
    ...failureQueues(template)
      .filter((queue) => !watched.includes(queue))
      .map((queue) => `${queue} has no alarm`),
    ...alarms
      .filter((a) => !(a.Properties?.AlarmActions as unknown[] | undefined)?.length)
      .map((a) => `${String(a.Properties?.AlarmDescription)} notifies no one`),
  ];
}

/** `METHOD /path` of every HTTP API route a template deploys, sorted. */
export function deployedRouteKeys(template: CfnTemplate): string[] {
  return Object.values(template.Resources)
    .filter((r) => r.Type === 'AWS::ApiGatewayV2::Route')
    .map((r) => String(r.Properties?.RouteKey))
    .sort();
}
