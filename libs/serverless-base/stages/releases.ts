/**
 * What a stage adds to the compiled template for its functions: the `live` alias (with provisioned concurrency
 * where asked), an error alarm per function, and for canary releases a CodeDeploy application, its service role
 * and one deployment group per HTTP function. Pure builders over logical ids; index.ts puts them in the template.
 */
import { firstOccurrenceAlarm } from '../alarms.ts';
import { LIVE_ALIAS } from './functions.ts';
import type { TemplateResource } from './tables.ts';

export const CODEDEPLOY_APPLICATION = 'CodeDeployApplication';
export const CODEDEPLOY_ROLE = 'CodeDeployServiceRole';

/** A compiled function as these builders see it: its logical ids, and its version's when it is aliased. */
export interface CompiledFunction {
  name: string;
  functionId: string;
  /** The alias's logical id and the version it points at; absent when the function is invoked as $LATEST. */
  alias?: { aliasId: string; versionId: string; provisionedConcurrency: number } | undefined;
}

/** The `live` alias on the version just packaged; a canary release shifts it there through CodeDeploy. */
export function liveAlias(fn: CompiledFunction, deploymentGroupId?: string): TemplateResource {
  const { alias } = fn;
  if (!alias) throw new Error(`${fn.name} has no alias`);
  return {
    Type: 'AWS::Lambda::Alias',
    // The deployment group names the error alarm, which must watch the new version before traffic moves to it.
    DependsOn: deploymentGroupId ? [fn.functionId, deploymentGroupId] : fn.functionId,
    Properties: {
      FunctionName: { Ref: fn.functionId },
      FunctionVersion: { 'Fn::GetAtt': [alias.versionId, 'Version'] },
      Name: LIVE_ALIAS,
      ...(alias.provisionedConcurrency > 0
        ? { ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: alias.provisionedConcurrency } }
        : {}),
    },
    ...(deploymentGroupId
      ? {
          UpdatePolicy: {
            CodeDeployLambdaAliasUpdate: {
              ApplicationName: { Ref: CODEDEPLOY_APPLICATION },
              DeploymentGroupName: { Ref: deploymentGroupId },
            },
          },
        }
      : {}),
  };
}

/**
 * An alarm as soon as the function fails an invocation (a thrown error, a timeout, a crash at start). For an
 * aliased function it watches the version the alias was given last, so during a canary it sees the new code alone.
 */
export function errorAlarm(fn: CompiledFunction, topicArn: unknown): TemplateResource {
  const name = { Ref: fn.functionId };
  const dimensions = fn.alias
    ? [
        { Name: 'FunctionName', Value: name },
        { Name: 'Resource', Value: { 'Fn::Join': [':', [name, LIVE_ALIAS]] } },
        { Name: 'ExecutedVersion', Value: { 'Fn::GetAtt': [fn.alias.versionId, 'Version'] } },
      ]
    : [{ Name: 'FunctionName', Value: name }];
  return firstOccurrenceAlarm(
    {
      description: `${fn.name} failed an invocation${fn.alias ? ' (a canary release rolls back on this alarm)' : ''}. Read its log.`,
      namespace: 'AWS/Lambda',
      metricName: 'Errors',
      dimensions,
      statistic: 'Sum',
    },
    topicArn,
  );
}

/** The service's CodeDeploy application for Lambda, and the role CodeDeploy shifts aliases with. */
export function codeDeployResources(): Record<string, TemplateResource> {
  return {
    [CODEDEPLOY_APPLICATION]: { Type: 'AWS::CodeDeploy::Application', Properties: { ComputePlatform: 'Lambda' } },
    [CODEDEPLOY_ROLE]: {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: 'codedeploy.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        },
        // Read alarms, read and update aliases: what a Lambda deployment needs, and no sns:Publish (no triggers here).
        ManagedPolicyArns: [{ 'Fn::Sub': 'arn:${AWS::Partition}:iam::aws:policy/service-role/AWSCodeDeployRoleForLambdaLimited' }],
      },
    },
  };
}

/**
 * One function's canary release: CodeDeploy moves part of the alias's traffic to the new version, waits, then moves
 * the rest; if the error alarm fires meanwhile, or the deployment fails or is stopped, it moves everything back.
 */
export function deploymentGroup(alarmId: string, deploymentConfig: string): TemplateResource {
  return {
    Type: 'AWS::CodeDeploy::DeploymentGroup',
    Properties: {
      ApplicationName: { Ref: CODEDEPLOY_APPLICATION },
      ServiceRoleArn: { 'Fn::GetAtt': [CODEDEPLOY_ROLE, 'Arn'] },
      DeploymentConfigName: deploymentConfig,
      DeploymentStyle: { DeploymentType: 'BLUE_GREEN', DeploymentOption: 'WITH_TRAFFIC_CONTROL' },
      AutoRollbackConfiguration: {
        Enabled: true,
        Events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM', 'DEPLOYMENT_STOP_ON_REQUEST'],
      },
      AlarmConfiguration: { Enabled: true, Alarms: [{ Name: { Ref: alarmId } }] },
    },
  };
}
