/**
 * The helpers every check shares. The template's model is the packaging project's (CfnTemplate): the checks take
 * what a file holds as that model, and read each value as if it could be anything, since finding where a file
 * departs from the model is what they are for.
 */
import type { CfnResource, CfnTemplate } from '#packaging';

/** One problem in one place: `at` is a path into the template (`Resources.OrdersTable.Properties.KeySchema[0]`). */
export interface Finding {
  at: string;
  problem: string;
}

const INTRINSIC_NAMES = new Set(['Ref', 'Condition']);

/** `{ "Fn::GetAtt": [...] }` as its name and argument, or undefined for any other value. */
export function intrinsic(value: unknown): { name: string; args: unknown } | undefined {
  if (!isObject(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const name = keys[0] as string;
  return name.startsWith('Fn::') || INTRINSIC_NAMES.has(name) ? { name, args: value[name] } : undefined;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export const resourcesOf = (template: CfnTemplate): [string, CfnResource][] => Object.entries(template.Resources ?? {});

export const resourcesOfType = (template: CfnTemplate, type: string): [string, CfnResource][] =>
  resourcesOf(template).filter(([, resource]) => resource.Type === type);

/** The logical id a value points at when it is `!Ref X` or `!GetAtt X.Attr`, else undefined. */
export function referencedResource(value: unknown): string | undefined {
  const fn = intrinsic(value);
  if (fn?.name === 'Ref' && typeof fn.args === 'string') return fn.args;
  if (fn?.name === 'Fn::GetAtt') {
    const target = Array.isArray(fn.args) ? fn.args[0] : typeof fn.args === 'string' ? fn.args.split('.')[0] : undefined;
    return typeof target === 'string' ? target : undefined;
  }
  return undefined;
}

/** Every value in a tree with its path, depth first: what the reference and secret checks walk. */
export function* walk(value: unknown, at: string): Generator<[unknown, string]> {
  yield [value, at];
  if (Array.isArray(value)) for (const [index, item] of value.entries()) yield* walk(item, `${at}[${index}]`);
  else if (isObject(value)) for (const [key, item] of Object.entries(value)) yield* walk(item, `${at}.${key}`);
}
