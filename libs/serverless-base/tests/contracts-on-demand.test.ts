import { topLevelConstantsRemovable } from '../bundling/esbuild-plugins.ts';

describe("a module's top-level constants, made removable for the bundler", () => {
  const source = [
    "import './zod';",
    "export const Sku = string().check(minLength(1), regex(/^[A-Z]+$/, 'upper-case'));",
    'const LIMIT = 50;',
    "const NAME = 'orders';",
    'export const Line = object({ sku: Other.shape.sku, quantity: int() });',
    'export const LIMITS = { units: 1000 } as const;',
    'export function total(lines: Line[]): number {',
    '  const count = lines.length;',
    '  return count;',
    '}',
    'config(en());',
    'let mutable = make();',
  ].join('\n');

  it('evaluates each computed initializer inside a pure-annotated arrow, the same code at the same moment', () => {
    const lines = topLevelConstantsRemovable(source).split('\n');

    expect(lines[1]).toBe("export const Sku = /* @__PURE__ */ (() => (string().check(minLength(1), regex(/^[A-Z]+$/, 'upper-case'))))();");
    expect(lines[4]).toBe('export const Line = /* @__PURE__ */ (() => (object({ sku: Other.shape.sku, quantity: int() })))();');
    expect(lines[5]).toBe('export const LIMITS = /* @__PURE__ */ (() => ({ units: 1000 } as const))();');
  });

  it('leaves literals, imports, functions, statements run for their effect and mutable bindings as they are', () => {
    const lines = topLevelConstantsRemovable(source).split('\n');
    const untouched = [0, 2, 3, 6, 7, 8, 9, 10, 11];

    expect(untouched.map((i) => lines[i])).toEqual(untouched.map((i) => source.split('\n')[i]));
    expect(lines).toHaveLength(source.split('\n').length);
  });
});
