/**
 * JSON bodies as text, with holes for what JSON.stringify cannot write: numbers beyond a double
 * (1e400), thousands of nesting levels, a literal "__proto__" key. Mutations work on a parsed copy
 * of a sample body and leave raw fragments behind tokens.
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonPath = (string | number)[];

const TOKEN = (n: number) => `\u0000raw${n}\u0000`;

export class JsonText {
  #raw: string[] = [];

  /** A placeholder that becomes `text` verbatim (as a value or as a key) in the final body. */
  raw(text: string): string {
    this.#raw.push(text);
    return TOKEN(this.#raw.length - 1);
  }

  render(value: unknown): string {
    let text = JSON.stringify(value) ?? '';
    this.#raw.forEach((fragment, n) => (text = text.split(JSON.stringify(TOKEN(n))).join(fragment)));
    return text;
  }
}

export const clone = <T>(value: T): T => structuredClone(value);

/** Every path into the value: objects' members and arrays' elements, leaves and branches alike. */
export function pathsOf(value: Json, prefix: JsonPath = []): JsonPath[] {
  if (value === null || typeof value !== 'object') return [];
  const entries: [string | number, Json][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  return entries.flatMap(([key, child]) => [[...prefix, key], ...pathsOf(child, [...prefix, key])]);
}

export function getAt(value: Json, path: JsonPath): Json | undefined {
  let current: Json | undefined = value;
  for (const key of path) current = current === null || typeof current !== 'object' ? undefined : (current as Record<string, Json>)[key];
  return current;
}

/** A copy of `value` with the member at `path` replaced (or removed when `replacement` is undefined). */
export function setAt(value: Json, path: JsonPath, replacement: Json | undefined): Json {
  if (path.length === 0) return replacement ?? null;
  const copy = clone(value) as Record<string | number, Json>;
  const parent = getAt(copy as Json, path.slice(0, -1)) as Record<string | number, Json> | Json[];
  const last = path.at(-1) as string | number;
  if (replacement !== undefined) (parent as Record<string | number, Json>)[last] = replacement;
  else if (Array.isArray(parent)) parent.splice(Number(last), 1);
  else delete (parent as Record<string, Json>)[last];
  return copy as Json;
}

export const jsonTypeOf = (value: unknown) => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);

export function parsesAsJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}
