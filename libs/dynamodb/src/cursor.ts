import { ValidationError } from '@storefront/errors';

export type DynamoKey = Record<string, string | number>;

/** Turns a LastEvaluatedKey into an opaque, URL-safe page cursor. */
export function encodeCursor(key: Record<string, unknown> | undefined): string | undefined {
  if (!key) return undefined;
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** Reads a cursor back; anything that is not a key this service issued is a 400, never a 500. */
export function decodeCursor(cursor: string | undefined): DynamoKey | undefined {
  if (cursor === undefined) return undefined;
  const invalid = () =>
    new ValidationError('The page cursor is not valid', [{ path: 'query.cursor', message: 'use the nextCursor of a previous page' }]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch (cause) {
    throw Object.assign(invalid(), { cause });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalid();
  const entries = Object.entries(parsed);
  if (entries.length === 0 || !entries.every(([, value]) => typeof value === 'string' || typeof value === 'number')) throw invalid();
  return parsed as DynamoKey;
}
