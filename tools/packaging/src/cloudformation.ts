/**
 * Reads a service's compiled CloudFormation template the way the local stack
 * sees it: which resources it declares, and what its intrinsic functions and
 * outputs resolve to when "AWS" is this machine. The template is the single
 * source of truth; nothing here lists a service's resources by hand.
 */
import { createHash } from 'node:crypto';
import type { CfnResource, CfnTemplate } from './template.ts';

export const LOCAL_ACCOUNT_ID = '000000000000';

/**
 * A secret's ARN in the local account. AWS ends it with six random characters; locally they are derived from the
 * name, so the ARN a template resolves to and the one the local Secrets Manager answers with are the same.
 */
export function localSecretArn(name: string, region: string): string {
  const suffix = createHash('sha256').update(name).digest('base64url').replace(/[-_]/g, 'x').slice(0, 6);
  return `arn:aws:secretsmanager:${region}:${LOCAL_ACCOUNT_ID}:secret:${name}-${suffix}`;
}

/** A state machine's ARN in the local account. */
export const localStateMachineArn = (name: string, region: string): string =>
  `arn:aws:states:${region}:${LOCAL_ACCOUNT_ID}:stateMachine:${name}`;

export interface TemplateContext {
  stackName: string;
  region: string;
  apiEndpoint?: string | undefined;
}

interface ResolveContext extends TemplateContext {
  /** Partial: a service not packaged yet is described from `{}`, as having nothing. */
  template: Partial<CfnTemplate>;
}

/** A template value with its intrinsic functions resolved: JSON-like, read by whoever knows its shape. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- resolved properties are read by resource type
export type Resolved = any;

export interface ResolvedResource {
  logicalId: string;
  type: string;
  name: string;
  properties: Resolved;
}

export interface DescribedTemplate {
  resources: ResolvedResource[];
  outputs: Record<string, Resolved>;
  resolve: (value: unknown) => Resolved;
}

/** Physical names of the resource kinds the local stack emulates. */
function physicalName(logicalId: string, resource: CfnResource, ctx: ResolveContext): string {
  const p = resource.Properties ?? {};
  const explicit = (
    {
      'AWS::SNS::Topic': p.TopicName,
      'AWS::SQS::Queue': p.QueueName,
      'AWS::DynamoDB::Table': p.TableName,
      'AWS::S3::Bucket': p.BucketName,
      'AWS::ApiGatewayV2::Api': p.Name,
      'AWS::Lambda::Function': p.FunctionName,
      'AWS::StepFunctions::StateMachine': p.StateMachineName,
      'AWS::SecretsManager::Secret': p.Name,
    } as Record<string, unknown>
  )[resource.Type];
  const name = explicit === undefined ? undefined : resolveValue(explicit, ctx);
  return typeof name === 'string' ? name : `${ctx.stackName}-${logicalId}`;
}

function ref(logicalId: string, ctx: ResolveContext): string | undefined {
  const pseudo: Record<string, string | undefined> = {
    'AWS::Region': ctx.region,
    'AWS::AccountId': LOCAL_ACCOUNT_ID,
    'AWS::StackName': ctx.stackName,
    'AWS::Partition': 'aws',
    'AWS::URLSuffix': 'amazonaws.com',
    'AWS::NoValue': undefined,
  };
  if (logicalId in pseudo) return pseudo[logicalId];
  const resource = ctx.template.Resources?.[logicalId];
  if (!resource) throw new Error(`Ref to unknown resource ${logicalId}`);
  const name = physicalName(logicalId, resource, ctx);
  switch (resource.Type) {
    case 'AWS::SNS::Topic':
      return `arn:aws:sns:${ctx.region}:${LOCAL_ACCOUNT_ID}:${name}`;
    case 'AWS::SQS::Queue':
      return `https://sqs.${ctx.region}.amazonaws.com/${LOCAL_ACCOUNT_ID}/${name}`;
    case 'AWS::StepFunctions::StateMachine':
      return localStateMachineArn(name, ctx.region);
    case 'AWS::SecretsManager::Secret':
      return localSecretArn(name, ctx.region);
    default:
      return name;
  }
}

function getAtt(logicalId: string, attribute: string, ctx: ResolveContext): string | undefined {
  const resource = ctx.template.Resources?.[logicalId];
  if (!resource) throw new Error(`Fn::GetAtt on unknown resource ${logicalId}`);
  const name = physicalName(logicalId, resource, ctx);
  const arn = (service: string, rest: string) => `arn:aws:${service}:${ctx.region}:${LOCAL_ACCOUNT_ID}:${rest}`;
  const attributes: Record<string, Record<string, () => string | undefined>> = {
    'AWS::SNS::Topic': { TopicArn: () => arn('sns', name), TopicName: () => name },
    'AWS::SQS::Queue': { Arn: () => arn('sqs', name), QueueName: () => name, QueueUrl: () => ref(logicalId, ctx) },
    'AWS::DynamoDB::Table': { Arn: () => arn('dynamodb', `table/${name}`), StreamArn: () => arn('dynamodb', `table/${name}/stream/local`) },
    'AWS::S3::Bucket': { Arn: () => `arn:aws:s3:::${name}`, DomainName: () => `${name}.s3.amazonaws.com` },
    'AWS::ApiGatewayV2::Api': {
      ApiId: () => name,
      ApiEndpoint: () => ctx.apiEndpoint ?? `https://${name}.execute-api.${ctx.region}.amazonaws.com`,
    },
    'AWS::IAM::Role': { Arn: () => `arn:aws:iam::${LOCAL_ACCOUNT_ID}:role/${name}` },
    'AWS::Lambda::Function': { Arn: () => arn('lambda', `function:${name}`) },
    'AWS::StepFunctions::StateMachine': { Arn: () => localStateMachineArn(name, ctx.region), Name: () => name },
    'AWS::SecretsManager::Secret': { Id: () => localSecretArn(name, ctx.region) },
  };
  const read = attributes[resource.Type]?.[attribute];
  return read ? read() : `${name}.${attribute}`;
}

/** Whether a condition of the template holds: `Fn::Equals`, `Fn::And`, `Fn::Or`, `Fn::Not` and other conditions by name. */
function conditionHolds(name: string, ctx: ResolveContext): boolean {
  const condition = ctx.template.Conditions?.[name];
  if (condition === undefined) throw new Error(`unknown condition ${name}`);
  return Boolean(resolveValue(condition, ctx));
}

/** A list value without the items `Ref: AWS::NoValue` (or an `Fn::If` choosing it) took away, as CloudFormation drops them. */
const present = (items: Resolved[]): Resolved[] => items.filter((item) => item !== undefined);

/**
 * Resolves Ref, Fn::GetAtt, Fn::Join, Fn::Sub, Fn::Select, Fn::Split and the condition functions (Fn::If, Fn::Equals,
 * Fn::And, Fn::Or, Fn::Not, Condition); other values pass through. `AWS::NoValue` resolves to undefined: the property
 * or list item it stands for is left out.
 */
export function resolveValue(value: unknown, ctx: ResolveContext): Resolved {
  if (Array.isArray(value)) return present(value.map((item) => resolveValue(item, ctx)));
  if (!value || typeof value !== 'object') return value;
  const object = value as Record<string, Resolved>;
  const keys = Object.keys(object);
  if (keys.length === 1) {
    const fn = keys[0] as string;
    const arg = object[fn];
    switch (fn) {
      case 'Ref':
        return ref(arg, ctx);
      case 'Condition':
        return conditionHolds(arg, ctx);
      case 'Fn::If': {
        const [condition, whenTrue, whenFalse] = arg as [string, unknown, unknown];
        return resolveValue(conditionHolds(condition, ctx) ? whenTrue : whenFalse, ctx);
      }
      case 'Fn::Equals': {
        const [left, right] = resolveValue(arg, ctx) as [unknown, unknown];
        return JSON.stringify(left) === JSON.stringify(right);
      }
      case 'Fn::And':
        return (resolveValue(arg, ctx) as unknown[]).every(Boolean);
      case 'Fn::Or':
        return (resolveValue(arg, ctx) as unknown[]).some(Boolean);
      case 'Fn::Not':
        return !(resolveValue(arg, ctx) as unknown[])[0];
      case 'Fn::GetAtt': {
        const [logicalId, attribute] = Array.isArray(arg) ? arg : String(arg).split('.');
        return getAtt(logicalId, attribute, ctx);
      }
      case 'Fn::Join': {
        const [separator, parts] = arg;
        return resolveValue(parts, ctx).join(separator);
      }
      case 'Fn::Select': {
        const [index, list] = resolveValue(arg, ctx);
        return list[index];
      }
      case 'Fn::Split': {
        const [separator, text] = resolveValue(arg, ctx);
        return text.split(separator);
      }
      case 'Fn::Sub': {
        const [text, variables = {}] = (Array.isArray(arg) ? arg : [arg]) as [string, Record<string, unknown>?];
        // `${!Literal}` is CloudFormation's escape for a literal `${Literal}`.
        return text.replace(/\$\{(!?)([^}]+)\}/g, (_: string, escaped: string, name: string) => {
          if (escaped) return `\${${name}}`;
          if (name in variables) return resolveValue(variables[name], ctx);
          const [logicalId = '', attribute] = name.split('.');
          return attribute ? getAtt(logicalId, attribute, ctx) : ref(logicalId, ctx);
        });
      }
      default:
        break;
    }
  }
  return Object.fromEntries(
    Object.entries(object).flatMap(([key, inner]) => {
      const resolved = resolveValue(inner, ctx);
      return resolved === undefined ? [] : [[key, resolved]];
    }),
  );
}

/** Everything the local stack needs to know about one packaged service. */
export function describeTemplate(template: Partial<CfnTemplate>, { stackName, region, apiEndpoint }: TemplateContext): DescribedTemplate {
  const ctx: ResolveContext = { template, stackName, region, apiEndpoint };
  const exists = ({ Condition }: { Condition?: string }) => Condition === undefined || conditionHolds(Condition, ctx);
  const resources = Object.entries(template.Resources ?? {})
    .filter(([, resource]) => exists(resource))
    .map(([logicalId, resource]) => ({
      logicalId,
      type: resource.Type,
      name: physicalName(logicalId, resource, ctx),
      properties: resolveValue(resource.Properties ?? {}, ctx),
    }));
  const outputs = Object.fromEntries(
    Object.entries(template.Outputs ?? {})
      .filter(([, output]) => exists(output))
      .map(([name, output]) => [name, resolveValue(output.Value, ctx)]),
  );
  return { resources, outputs, resolve: (value) => resolveValue(value, ctx) };
}
