import fc from 'fast-check';
import { percentEncode } from './requests';
import { draft, elsewhere, refusedIfWrite, type Kind } from './kind';
import type { RouteContext } from './route-context';

const hasQuery = (context: RouteContext) => context.route.query !== undefined;
const base64url = (text: string | Uint8Array) => Buffer.from(text).toString('base64url');

/** The route's own cursor from the seeded world, or one shaped like it when the listing had no second page. */
const cursorOf = (context: RouteContext) => context.world.cursors[context.key] ?? base64url(JSON.stringify({ PK: 'x', SK: 'y' }));

const queryKind = (name: string, count: number, queries: (context: RouteContext) => fc.Arbitrary<string>): Kind => ({
  name,
  count,
  appliesTo: hasQuery,
  draw: (context) =>
    queries(context).map((query) => draft(name, elsewhere(context, `${context.path()}?${query}`), refusedIfWrite(context))),
});

const badLimit = queryKind('query: bad limit', 30, () =>
  fc
    .oneof(
      fc.constantFrom(
        '0',
        '-1',
        '1.5',
        '101',
        '1e309',
        'abc',
        '',
        ' ',
        '0x',
        'NaN',
        'Infinity',
        '-0',
        '1,2',
        '９',
        '99999999999999999999',
        '+5',
        'null',
        '[]',
      ),
      fc.string({ unit: 'binary', maxLength: 12 }),
    )
    .map((limit) => `limit=${percentEncode(limit)}`),
);

const garbageCursor = queryKind('query: garbage cursor', 35, () =>
  fc
    .oneof(
      fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }).map(percentEncode),
      fc.jsonValue({ maxDepth: 3 }).map((value) => base64url(JSON.stringify(value))),
      fc.uint8Array({ minLength: 1, maxLength: 48 }).map(base64url),
      fc.constantFrom(
        '',
        'null',
        base64url('{}'),
        base64url('[]'),
        base64url('null'),
        base64url('{"PK":{"S":"x"}}'),
        'x'.repeat(2_049),
        'x'.repeat(5_000),
      ),
    )
    .map((cursor) => `cursor=${cursor}`),
);

type Key = Record<string, unknown>;
const keyEdits = (key: Key): fc.Arbitrary<Key>[] => {
  const names = Object.keys(key);
  const otherValue = fc.oneof(
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.constant({ S: 'x' }),
    fc.array(fc.string(), { maxLength: 2 }),
    fc.string({ unit: 'binary', maxLength: 20 }),
    fc.constant('x'.repeat(1_500)),
  );
  return [
    fc.tuple(fc.constantFrom(...names), otherValue).map(([name, value]) => ({ ...key, [name]: value })),
    fc.constantFrom(...names).map((name) => Object.fromEntries(Object.entries(key).filter(([n]) => n !== name))),
    fc.tuple(fc.string({ maxLength: 10 }), otherValue).map(([name, value]) => ({ ...key, [name || 'extra']: value })),
    fc.tuple(fc.constantFrom(...names), fc.string({ minLength: 1, maxLength: 8 })).map(([name, renamed]) => {
      const { [name]: value, ...rest } = key;
      return { ...rest, [renamed]: value };
    }),
  ];
};

/**
 * The cursor's JSON key, wherever it sits: the whole cursor, or one dot-separated part of it (a
 * signed cursor keeps its payload beside its signature). Edits keep the rest as it was.
 */
function keyInside(cursor: string): { key: Key; rebuild: (key: Key, encode: (json: string) => string) => string } | undefined {
  const parts = cursor.split('.');
  for (const [index, part] of parts.entries()) {
    try {
      const key = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
      if (key === null || typeof key !== 'object' || Array.isArray(key)) continue;
      return {
        key: key as Key,
        rebuild: (edited, encode) => parts.map((p, i) => (i === index ? encode(JSON.stringify(edited)) : p)).join('.'),
      };
    } catch {
      continue;
    }
  }
  return undefined;
}

const editedCursor = queryKind('query: edited cursor', 40, (context) => {
  const cursor = cursorOf(context);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const characterEdit = fc
    .tuple(fc.nat({ max: cursor.length - 1 }), fc.constantFrom(...alphabet), fc.constantFrom('replace', 'insert', 'delete'))
    .map(([at, char, how]) => cursor.slice(0, at) + (how === 'delete' ? '' : char) + cursor.slice(how === 'insert' ? at : at + 1))
    .filter((edited) => edited !== cursor);
  const inside = keyInside(cursor);
  const keyEdit = inside
    ? [
        fc
          .tuple(
            fc.oneof(...keyEdits(inside.key)),
            fc.constantFrom(base64url, (json: string) => Buffer.from(json).toString('base64')),
          )
          .map(([key, encode]) => inside.rebuild(key, encode)),
      ]
    : [];
  return fc.oneof(characterEdit, ...keyEdit).map((edited) => `cursor=${encodeURIComponent(edited)}`);
});

const truncatedCursor = queryKind('query: truncated cursor', 8, (context) => {
  const cursor = cursorOf(context);
  return fc.nat({ max: cursor.length - 1 }).map((end) => `cursor=${cursor.slice(0, end)}`);
});

const foreignCursor: Kind = {
  name: 'query: cursor of another listing',
  count: 6,
  appliesTo: (context) => hasQuery(context) && Object.keys(context.world.cursors).some((key) => key !== context.key),
  draw: (context) => {
    const others = Object.entries(context.world.cursors).filter(([key]) => key !== context.key);
    const paths = [context.path(), ...context.params.map((param) => context.path({ [param]: 'fuzz-someone-else' }))];
    return fc
      .tuple(fc.constantFrom(...others.map(([, cursor]) => cursor), cursorOf(context)), fc.constantFrom(...paths))
      .filter(([cursor, path]) => !(cursor === context.world.cursors[context.key] && path === context.path()))
      .map(([cursor, path]) => draft(foreignCursor.name, elsewhere(context, `${path}?cursor=${cursor}`), refusedIfWrite(context)));
  },
};

const malformedQueryEncoding = queryKind('query: malformed percent-encoding', 8, () =>
  fc.constantFrom('cursor=%', 'cursor=%E0%A4%A', 'limit=%ZZ', '%=1', 'cursor=%FF', 'limit=1%', 'a=%C0%AF', 'cursor=%ED%A0%80'),
);

const oddParameters = queryKind('query: repeated and unknown parameters', 12, (context) => {
  const cursor = cursorOf(context);
  return fc.constantFrom(
    'limit=1&limit=2',
    'limit=5&limit=5',
    `cursor=${cursor}&cursor=${cursor}`,
    'limit[]=1',
    'limit[a]=1',
    '__proto__[limit]=1',
    'constructor=1&prototype=2',
    'limit',
    '=',
    '&&&',
    'foo=bar&limit=5',
    Array.from({ length: 300 }, (_, i) => `p${i}=${i}`).join('&'),
  );
});

export const queryKinds: Kind[] = [
  badLimit,
  garbageCursor,
  editedCursor,
  truncatedCursor,
  foreignCursor,
  malformedQueryEncoding,
  oddParameters,
];
