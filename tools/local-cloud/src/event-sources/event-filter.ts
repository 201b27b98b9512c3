/**
 * Lambda event filtering (the subset of EventBridge patterns Lambda supports):
 * a record passes when it matches any of the mapping's filter patterns.
 */
import type { FilterCriteria } from '../common/types.ts';

type Pattern = Record<string, unknown>;
type Rule = Record<string, unknown>;

function matchesValue(rule: unknown, value: unknown): boolean {
  if (rule !== null && typeof rule === 'object') {
    const r = rule as Rule;
    if ('exists' in r) return r.exists ? value !== undefined : value === undefined;
    if ('prefix' in r) return typeof value === 'string' && value.startsWith(r.prefix as string);
    if ('suffix' in r) return typeof value === 'string' && value.endsWith(r.suffix as string);
    if ('anything-but' in r) return ![r['anything-but']].flat().includes(value);
    if ('numeric' in r) {
      const [op, bound] = r.numeric as [string, number];
      const comparisons: Record<string, boolean> = {
        '=': value === bound,
        '<': (value as number) < bound,
        '<=': (value as number) <= bound,
        '>': (value as number) > bound,
        '>=': (value as number) >= bound,
      };
      return typeof value === 'number' && (comparisons[op] as boolean);
    }
    return false;
  }
  return value === rule;
}

export function matchesPattern(pattern: Pattern, data: unknown): boolean {
  for (const [key, rule] of Object.entries(pattern)) {
    const value = (data as Record<string, unknown> | null | undefined)?.[key];
    if (Array.isArray(rule)) {
      const candidates = Array.isArray(value) ? value : [value];
      if (!rule.some((r) => candidates.some((candidate) => matchesValue(r, candidate)))) return false;
    } else if (rule !== null && typeof rule === 'object') {
      if (!matchesPattern(rule as Pattern, value)) return false;
    } else if (value !== rule) {
      return false;
    }
  }
  return true;
}

/** The filter of an event source mapping's FilterCriteria; no criteria means every record passes. */
export function recordFilter(filterCriteria: FilterCriteria | undefined): (record: unknown) => boolean {
  const patterns = (filterCriteria?.Filters ?? []).map((filter): Pattern =>
    typeof filter.Pattern === 'string' ? JSON.parse(filter.Pattern) : filter.Pattern,
  );
  if (patterns.length === 0) return () => true;
  return (record) => patterns.some((pattern) => matchesPattern(pattern, record));
}
