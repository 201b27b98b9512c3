/**
 * Checks what a template's values point at: every `Ref`, `Fn::GetAtt` (target and attribute name, from the
 * resource model), `Fn::Sub` variable, `Fn::FindInMap` map, condition and `DependsOn` must name something the
 * template (or CloudFormation itself) defines. CloudFormation would otherwise reject the template only on deploy.
 */
import type { CfnTemplate } from '#packaging';
import type { ResourceModel } from './resource-model.ts';
import { describeValue, type Finding, intrinsic, resourcesOf, walk } from './template.ts';

const PSEUDO_PARAMETERS = new Set([
  'AWS::AccountId',
  'AWS::NotificationARNs',
  'AWS::NoValue',
  'AWS::Partition',
  'AWS::Region',
  'AWS::StackId',
  'AWS::StackName',
  'AWS::URLSuffix',
]);

interface Context {
  template: CfnTemplate;
  model: ResourceModel;
  has: (section: 'Resources' | 'Parameters' | 'Conditions' | 'Mappings', name: string) => boolean;
}

export function referenceFindings(template: CfnTemplate, model: ResourceModel): Finding[] {
  const has: Context['has'] = (section, name) => Object.hasOwn(template[section] ?? {}, name);
  const ctx: Context = { template, model, has };
  const findings: Finding[] = [];

  for (const [id, resource] of resourcesOf(template)) {
    const at = `Resources.${id}`;
    for (const target of [resource.DependsOn ?? []].flat()) {
      if (typeof target !== 'string')
        findings.push({ at: `${at}.DependsOn`, problem: `expects resource names, got ${describeValue(target)}` });
      else if (target === id) findings.push({ at: `${at}.DependsOn`, problem: `${id} cannot depend on itself` });
      else if (!has('Resources', target)) findings.push({ at: `${at}.DependsOn`, problem: `${target} is not a resource of this template` });
    }
    findings.push(...conditionFindings(resource.Condition, `${at}.Condition`, ctx));
    findings.push(...intrinsicFindings(resource.Properties, `${at}.Properties`, ctx));
  }
  for (const [name, output] of Object.entries(template.Outputs ?? {})) {
    if (output.Value === undefined) findings.push({ at: `Outputs.${name}`, problem: 'an output needs a Value' });
    findings.push(...conditionFindings(output.Condition, `Outputs.${name}.Condition`, ctx));
    findings.push(...intrinsicFindings(output, `Outputs.${name}`, ctx));
  }
  findings.push(...intrinsicFindings(template.Conditions, 'Conditions', ctx));
  return findings;
}

function conditionFindings(name: unknown, at: string, ctx: Context): Finding[] {
  if (name === undefined) return [];
  return typeof name === 'string' && ctx.has('Conditions', name)
    ? []
    : [{ at, problem: `${describeValue(name)} is not a condition of this template` }];
}

function intrinsicFindings(tree: unknown, root: string, ctx: Context): Finding[] {
  const findings: Finding[] = [];
  for (const [value, at] of walk(tree, root)) {
    const fn = intrinsic(value);
    if (!fn) continue;
    const here = `${at}.${fn.name}`;
    switch (fn.name) {
      case 'Ref':
        findings.push(...refFindings(fn.args, here, ctx));
        break;
      case 'Fn::GetAtt':
        findings.push(...getAttFindings(fn.args, here, ctx));
        break;
      case 'Fn::Sub':
        findings.push(...subFindings(fn.args, here, ctx));
        break;
      case 'Fn::FindInMap': {
        const map = Array.isArray(fn.args) ? fn.args[0] : undefined;
        if (typeof map === 'string' && !ctx.has('Mappings', map))
          findings.push({ at: here, problem: `${map} is not a mapping of this template` });
        break;
      }
      case 'Fn::If':
        findings.push(...conditionFindings(Array.isArray(fn.args) ? fn.args[0] : fn.args, here, ctx));
        break;
      case 'Condition':
        findings.push(...conditionFindings(fn.args, here, ctx));
        break;
    }
  }
  return findings;
}

function refFindings(target: unknown, at: string, ctx: Context): Finding[] {
  if (typeof target !== 'string') return [{ at, problem: `expects a name, got ${describeValue(target)}` }];
  if (PSEUDO_PARAMETERS.has(target) || ctx.has('Resources', target) || ctx.has('Parameters', target)) return [];
  return [{ at, problem: `${target} is not a resource, parameter or pseudo parameter of this template` }];
}

function getAttFindings(args: unknown, at: string, ctx: Context): Finding[] {
  const [target, attribute] = typeof args === 'string' ? splitOnce(args) : Array.isArray(args) ? args : [];
  if (typeof target !== 'string') return [{ at, problem: `expects [resource, attribute], got ${describeValue(args)}` }];
  return attributeFindings(target, attribute, at, ctx);
}

function attributeFindings(target: string, attribute: unknown, at: string, ctx: Context): Finding[] {
  const resource = ctx.template.Resources?.[target];
  if (!resource) return [{ at, problem: `${target} is not a resource of this template` }];
  // An attribute chosen by a parameter (`!Ref`) is known only on deploy.
  if (typeof attribute !== 'string') return [];
  const type = String(resource.Type);
  if (type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource') return [];
  if (type === 'AWS::CloudFormation::Stack' && attribute.startsWith('Outputs.')) return [];
  const shape = ctx.model.resource(type);
  if (!shape || shape.attributes.has(attribute)) return [];
  return [{ at, problem: `${type} has no attribute ${attribute} (it has ${[...shape.attributes].sort().join(', ') || 'none'})` }];
}

function subFindings(args: unknown, at: string, ctx: Context): Finding[] {
  const [text, variables] = Array.isArray(args) ? args : [args, {}];
  if (typeof text !== 'string') return [{ at, problem: `expects a string, got ${describeValue(text)}` }];
  const findings: Finding[] = [];
  // `${!Literal}` is an escaped literal, not a variable.
  for (const [, name] of text.matchAll(/\$\{([^!}][^}]*)\}/g)) {
    const variable = (name as string).trim();
    if (Object.hasOwn(variables ?? {}, variable) || PSEUDO_PARAMETERS.has(variable)) continue;
    if (ctx.has('Resources', variable) || ctx.has('Parameters', variable)) continue;
    const [target, attribute] = splitOnce(variable);
    if (attribute !== undefined && ctx.has('Resources', target)) findings.push(...attributeFindings(target, attribute, at, ctx));
    else findings.push({ at, problem: `\${${variable}} is not a variable, resource, parameter or pseudo parameter of this template` });
  }
  return findings;
}

/** `Table.StreamArn` → [Table, StreamArn]; attributes may hold dots themselves (`Endpoint.Address`). */
function splitOnce(name: string): [string, string | undefined] {
  const dot = name.indexOf('.');
  return dot < 0 ? [name, undefined] : [name.slice(0, dot), name.slice(dot + 1)];
}
