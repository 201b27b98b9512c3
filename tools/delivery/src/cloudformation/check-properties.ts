/**
 * Checks every resource against the CloudFormation resource model: its type exists, and at every nesting level
 * each property is one the type has, each value has the property's type (or one it had before: CloudFormation
 * keeps accepting those), allowed values are respected and required properties are present. Intrinsic functions
 * stand for values only a deployment knows; they are checked by the reference check, not here.
 */
import type { CfnTemplate } from '#packaging';
import type { ObjectShape, Property, PropertyType, ResourceModel } from './resource-model.ts';
import { describeValue, type Finding, intrinsic, isObject, resourcesOf } from './template.ts';

const RESOURCE_KEYS = new Set([
  'Type',
  'Properties',
  'DependsOn',
  'Condition',
  'DeletionPolicy',
  'UpdateReplacePolicy',
  'Metadata',
  'CreationPolicy',
  'UpdatePolicy',
]);
const TEMPLATE_SECTIONS = new Set([
  'AWSTemplateFormatVersion',
  'Description',
  'Metadata',
  'Parameters',
  'Rules',
  'Mappings',
  'Conditions',
  'Transform',
  'Resources',
  'Outputs',
]);
const DELETION_POLICIES = ['Delete', 'Retain', 'RetainExceptOnCreate', 'Snapshot'];
/** Intrinsics that always give a string: never an object or a list where one is expected. */
const STRING_INTRINSICS = new Set(['Fn::Sub', 'Fn::Join', 'Fn::Base64', 'Fn::ImportValue']);

export function propertyFindings(template: CfnTemplate, model: ResourceModel): Finding[] {
  const findings: Finding[] = [];
  for (const section of Object.keys(template))
    if (!TEMPLATE_SECTIONS.has(section)) findings.push({ at: section, problem: 'is not a template section' });
  if (!isObject(template.Resources) || Object.keys(template.Resources).length === 0)
    findings.push({ at: 'Resources', problem: 'a template needs at least one resource' });

  for (const [id, resource] of resourcesOf(template)) {
    const at = `Resources.${id}`;
    for (const key of Object.keys(resource))
      if (!RESOURCE_KEYS.has(key)) findings.push({ at: `${at}.${key}`, problem: 'is not a resource attribute' });
    for (const policy of ['DeletionPolicy', 'UpdateReplacePolicy'] as const)
      if (resource[policy] !== undefined && !DELETION_POLICIES.includes(resource[policy] as string))
        findings.push({
          at: `${at}.${policy}`,
          problem: `expects one of ${DELETION_POLICIES.join(', ')}, got ${describeValue(resource[policy])}`,
        });

    const type = resource.Type;
    if (typeof type !== 'string') {
      findings.push({ at: `${at}.Type`, problem: 'a resource needs a Type' });
      continue;
    }
    if (type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource') continue;
    const shape = model.resource(type);
    if (!shape) {
      findings.push({ at: `${at}.Type`, problem: `${type} is not a CloudFormation resource type` });
      continue;
    }
    findings.push(...objectFindings(resource.Properties ?? {}, shape, `${at}.Properties`, { model, resourceType: type }));
  }
  return findings;
}

interface Context {
  model: ResourceModel;
  resourceType: string;
}

function objectFindings(value: unknown, shape: ObjectShape, at: string, ctx: Context): Finding[] {
  if (!isObject(value)) return [{ at, problem: `expects an object (${shape.name}), got ${describeValue(value)}` }];
  const findings: Finding[] = [];
  for (const [key, item] of Object.entries(value)) {
    const property = shape.properties[key];
    if (!property) findings.push({ at: `${at}.${key}`, problem: `is not a property of ${shape.name}` });
    else findings.push(...valueFindings(item, typesOf(property), `${at}.${key}`, ctx));
  }
  for (const [name, property] of Object.entries(shape.properties))
    if (property.required && !(name in value)) findings.push({ at, problem: `misses ${name}, required by ${shape.name}` });
  return findings;
}

const typesOf = (property: Property): PropertyType[] => [property.type, ...(property.previousTypes ?? [])];

/**
 * A value is right if it fits any of the types; otherwise the findings of the closest fit are reported. Where the
 * model also allows free JSON for backward compatibility (DynamoDB's KeySchema, a list or any JSON), a value shaped
 * like the structured type is held to it, so the free form never hides a typo.
 */
function valueFindings(value: unknown, types: PropertyType[], at: string, ctx: Context): Finding[] {
  const candidates = types.flatMap((type) => (type.type === 'union' ? type.types : [type]));
  const shapedLikeIt = candidates.filter((type) => type.type !== 'json' && sameKind(value, type));
  let closest: Finding[] | undefined;
  for (const type of shapedLikeIt.length && !intrinsic(value) ? shapedLikeIt : candidates) {
    const findings = typeFindings(value, type, at, ctx);
    if (findings.length === 0) return [];
    if (!closest || findings.length < closest.length) closest = findings;
  }
  return closest ?? [];
}

function sameKind(value: unknown, type: PropertyType): boolean {
  if (Array.isArray(value)) return type.type === 'array';
  if (isObject(value)) return type.type === 'ref' || type.type === 'map' || type.type === 'tag';
  return !['array', 'ref', 'map', 'tag', 'json', 'union'].includes(type.type);
}

function typeFindings(value: unknown, type: PropertyType, at: string, ctx: Context): Finding[] {
  const fn = intrinsic(value);
  if (fn) {
    if (fn.name === 'Fn::If' && Array.isArray(fn.args))
      return fn.args.slice(1).flatMap((branch, index) => {
        const noValue = intrinsic(branch)?.name === 'Ref' && intrinsic(branch)?.args === 'AWS::NoValue';
        return noValue ? [] : typeFindings(branch, type, `${at}.Fn::If[${index + 1}]`, ctx);
      });
    const wantsStructure = ['ref', 'map', 'array', 'tag'].includes(type.type);
    return wantsStructure && STRING_INTRINSICS.has(fn.name)
      ? [{ at, problem: `expects ${typeName(type)}, got ${fn.name} (a string)` }]
      : [];
  }
  const wrong = (): Finding[] => [{ at, problem: `expects ${typeName(type)}, got ${describeValue(value)}` }];
  switch (type.type) {
    case 'string':
    case 'date-time': {
      if (typeof value !== 'string' && typeof value !== 'number') return wrong();
      const allowed = type.type === 'string' ? type.allowedValues : undefined;
      return allowed?.length && typeof value === 'string' && !allowed.includes(value)
        ? [{ at, problem: `expects one of ${allowed.join(', ')}, got ${describeValue(value)}` }]
        : [];
    }
    case 'number':
      return Number.isFinite(Number(value)) && (typeof value === 'number' || (typeof value === 'string' && value.trim() !== ''))
        ? []
        : wrong();
    case 'integer': {
      const integral = (typeof value === 'number' || (typeof value === 'string' && value.trim() !== '')) && Number.isInteger(Number(value));
      if (!integral) return wrong();
      return type.allowedValues?.length && !type.allowedValues.includes(Number(value))
        ? [{ at, problem: `expects one of ${type.allowedValues.join(', ')}, got ${describeValue(value)}` }]
        : [];
    }
    case 'boolean':
      return typeof value === 'boolean' || value === 'true' || value === 'false' ? [] : wrong();
    case 'json':
      return value === undefined ? wrong() : [];
    case 'null':
      return value === null ? [] : wrong();
    case 'tag':
      return isObject(value) && 'Key' in value && 'Value' in value && Object.keys(value).length === 2 ? [] : wrong();
    case 'array':
      return Array.isArray(value) ? value.flatMap((item, index) => typeFindings(item, type.element, `${at}[${index}]`, ctx)) : wrong();
    case 'map':
      return isObject(value)
        ? Object.entries(value).flatMap(([key, item]) => typeFindings(item, type.element, `${at}.${key}`, ctx))
        : wrong();
    case 'ref':
      return objectFindings(value, ctx.model.definition(ctx.resourceType, type.reference.$ref), at, ctx);
    case 'union':
      return valueFindings(value, type.types, at, ctx);
  }
}

function typeName(type: PropertyType): string {
  switch (type.type) {
    case 'array':
      return `a list of ${typeName(type.element)}`;
    case 'map':
      return `a map of ${typeName(type.element)}`;
    case 'ref':
      return 'an object';
    case 'tag':
      return 'a tag {Key, Value}';
    case 'union':
      return type.types.map(typeName).join(' or ');
    default:
      return type.type;
  }
}
