import { safeParse, type infer as Infer } from 'zod/mini';
import type { Schema } from './zod';

export interface SchemaIssue {
  path: string;
  message: string;
}

export type ParseResult<T> = { success: true; data: T } | { success: false; issues: SchemaIssue[] };

/** Parses with a contract schema and flattens issues to `path: message` pairs a client can act on. */
export function parseWith<S extends Schema>(schema: S, input: unknown): ParseResult<Infer<S>> {
  const result = safeParse(schema, input);
  if (result.success) return { success: true, data: result.data as Infer<S> };
  return {
    success: false,
    issues: result.error.issues.map((issue) => ({
      path: issue.path.map(String).join('.') || '(root)',
      message: issue.message,
    })),
  };
}
