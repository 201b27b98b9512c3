/**
 * Lambda event filtering (the subset of EventBridge patterns Lambda supports):
 * a record passes when it matches any of the mapping's filter patterns.
 */
function matchesValue(rule, value) {
  if (rule !== null && typeof rule === 'object') {
    if ('exists' in rule) return rule.exists ? value !== undefined : value === undefined;
    if ('prefix' in rule) return typeof value === 'string' && value.startsWith(rule.prefix);
    if ('suffix' in rule) return typeof value === 'string' && value.endsWith(rule.suffix);
    if ('anything-but' in rule) return ![rule['anything-but']].flat().includes(value);
    if ('numeric' in rule) {
      const [op, bound] = rule.numeric;
      return (
        typeof value === 'number' &&
        { '=': value === bound, '<': value < bound, '<=': value <= bound, '>': value > bound, '>=': value >= bound }[op]
      );
    }
    return false;
  }
  return value === rule;
}

export function matchesPattern(pattern, data) {
  for (const [key, rule] of Object.entries(pattern)) {
    const value = data?.[key];
    if (Array.isArray(rule)) {
      const candidates = Array.isArray(value) ? value : [value];
      if (!rule.some((r) => candidates.some((candidate) => matchesValue(r, candidate)))) return false;
    } else if (rule !== null && typeof rule === 'object') {
      if (!matchesPattern(rule, value)) return false;
    } else if (value !== rule) {
      return false;
    }
  }
  return true;
}

/** The filter of an event source mapping's FilterCriteria; no criteria means every record passes. */
export function recordFilter(filterCriteria) {
  const patterns = (filterCriteria?.Filters ?? []).map((filter) =>
    typeof filter.Pattern === 'string' ? JSON.parse(filter.Pattern) : filter.Pattern,
  );
  if (patterns.length === 0) return () => true;
  return (record) => patterns.some((pattern) => matchesPattern(pattern, record));
}
