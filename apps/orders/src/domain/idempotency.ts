import { createHash } from 'node:crypto';

/** How long a client may replay a request with the same Idempotency-Key. */
export const IDEMPOTENCY_WINDOW_SECONDS = 24 * 60 * 60;

/**
 * A stable digest of a request body: key order does not matter, so a client
 * that re-serialises the same body still gets its original answer.
 */
export function requestFingerprint(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
