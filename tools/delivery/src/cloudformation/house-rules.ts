/**
 * Our own rules for every template, beyond what CloudFormation accepts: logs that expire, no message that can
 * fail forever, tables that survive a bad deploy where the stage keeps its data, and where the stage is watched, a
 * dashboard for every service that runs something and an alarm that notifies someone. They read resource types,
 * never a service's resource names, so a new service or resource is covered as soon as it is packaged.
 */
import type { CfnResource, CfnTemplate } from '#packaging';
import type { CheckedStage } from '../stages.ts';
import { type Finding, intrinsic, isObject, referencedResource, resourcesOf, resourcesOfType, walk } from './template.ts';

export type StageRules = Pick<CheckedStage, 'tablesKeepData' | 'secretsKeptOut' | 'watched'>;

export function houseRuleFindings(template: CfnTemplate, stage: StageRules): Finding[] {
  return [
    ...logGroupFindings(template),
    ...deadLetterFindings(template),
    ...(stage.tablesKeepData ? tableFindings(template) : []),
    ...(stage.watched ? watchFindings(template) : []),
  ];
}

/** What a service runs or keeps that someone must be able to watch: a dashboard charts it (slic-watch makes one). */
const WATCHED_TYPES = ['AWS::Lambda::Function', 'AWS::DynamoDB::Table', 'AWS::SQS::Queue', 'AWS::StepFunctions::StateMachine'];

/** A stack that runs or keeps something has a dashboard, and no alarm fires unheard. */
function watchFindings(template: CfnTemplate): Finding[] {
  const findings: Finding[] = [];
  const watched = resourcesOf(template).filter(([, r]) => WATCHED_TYPES.includes(r.Type));
  if (watched.length > 0 && resourcesOfType(template, 'AWS::CloudWatch::Dashboard').length === 0)
    findings.push({
      at: 'Resources',
      problem: `has no AWS::CloudWatch::Dashboard for its ${watched.length} function(s), table(s), queue(s) and state machine(s): load serverless-slic-watch-plugin with the base config's custom.slicWatch`,
    });
  for (const [id, alarm] of resourcesOfType(template, 'AWS::CloudWatch::Alarm')) {
    const actions = alarm.Properties?.AlarmActions;
    if (!Array.isArray(actions) || actions.length === 0)
      findings.push({ at: `Resources.${id}.Properties`, problem: 'misses AlarmActions: the alarm would fire and tell no one' });
  }
  return findings;
}

/** Lambda creates a function's log group on first use, with no retention, unless the stack owns it first. */
function logGroupFindings(template: CfnTemplate): Finding[] {
  const logGroups = resourcesOfType(template, 'AWS::Logs::LogGroup');
  const byName = new Map(logGroups.map(([id, group]) => [group.Properties?.LogGroupName, id]));
  const findings: Finding[] = [];
  for (const [id, fn] of resourcesOfType(template, 'AWS::Lambda::Function')) {
    const configured = (fn.Properties?.LoggingConfig as { LogGroup?: unknown } | undefined)?.LogGroup;
    const name = fn.Properties?.FunctionName;
    const groupId =
      configured === undefined
        ? typeof name === 'string'
          ? byName.get(`/aws/lambda/${name}`)
          : undefined
        : (referencedResource(configured) ?? byName.get(configured));
    if (!groupId) {
      const expected = typeof name === 'string' ? `/aws/lambda/${name}` : `/aws/lambda/<FunctionName> (give the function a FunctionName)`;
      findings.push({
        at: `Resources.${id}`,
        problem: `has no log group in the template: expected an AWS::Logs::LogGroup ${expected} with RetentionInDays`,
      });
      continue;
    }
    if (template.Resources?.[groupId]?.Properties?.RetentionInDays === undefined)
      findings.push({ at: `Resources.${groupId}.Properties`, problem: `misses RetentionInDays: the logs of ${id} would be kept forever` });
  }
  return findings;
}

/** A queue either hands failing messages to a dead-letter queue or is where failures land. */
function deadLetterFindings(template: CfnTemplate): Finding[] {
  const failureDestinations = new Set<string>();
  for (const [id, resource] of resourcesOf(template))
    for (const [value, at] of walk(resource.Properties, id)) {
      const target = referencedResource(value);
      if (target && /deadletter|onfailure/i.test(at)) failureDestinations.add(target);
    }
  return resourcesOfType(template, 'AWS::SQS::Queue')
    .filter(([id, queue]) => !failureDestinations.has(id) && !hasDeadLetterTarget(queue))
    .map(([id]) => ({
      at: `Resources.${id}`,
      problem:
        'has no dead-letter queue (RedrivePolicy.deadLetterTargetArn) and is none: a message that always fails would be retried until it expires',
    }));
}

function hasDeadLetterTarget(queue: CfnResource): boolean {
  const policy = queue.Properties?.RedrivePolicy;
  if (typeof policy === 'string') return /deadLetterTargetArn/.test(policy);
  return isObject(policy) && (policy.deadLetterTargetArn !== undefined || intrinsic(policy) !== undefined);
}

function tableFindings(template: CfnTemplate): Finding[] {
  const findings: Finding[] = [];
  for (const [id, table] of resourcesOfType(template, 'AWS::DynamoDB::Table')) {
    const recovery = table.Properties?.PointInTimeRecoverySpecification as { PointInTimeRecoveryEnabled?: unknown } | undefined;
    if (recovery?.PointInTimeRecoveryEnabled !== true && recovery?.PointInTimeRecoveryEnabled !== 'true')
      findings.push({
        at: `Resources.${id}.Properties`,
        problem: 'misses PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled: true',
      });
    for (const policy of ['DeletionPolicy', 'UpdateReplacePolicy'] as const)
      if (table[policy] !== 'Retain')
        findings.push({
          at: `Resources.${id}`,
          problem: `misses ${policy}: Retain, so a removed stack or a replaced table keeps its data`,
        });
  }
  return findings;
}
