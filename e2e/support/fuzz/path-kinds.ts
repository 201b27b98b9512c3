import fc from 'fast-check';
import { accepts, decodedOrRaw, JSON_TYPE, percentEncode } from './requests';
import { always, draft, elsewhere, oddText, refusedIfWrite, type Kind } from './kind';
import type { RouteContext } from './route-context';

const hasParams = (context: RouteContext) => context.params.length > 0;

/**
 * True when the contract refuses the segment however it is read (as sent or decoded), and no
 * path normalisation (dot segments, slashes) could turn it into another, acceptable path.
 */
function refusedByContract(context: RouteContext, param: string, segment: string): boolean {
  const decoded = decodedOrRaw(segment);
  if (/[./\\]/.test(decoded)) return false;
  return [segment, decoded].every((value) => !accepts(context.route.path, { ...context.known, [param]: value }));
}

/**
 * The route's request with one parameter replaced. A write route gets its valid body when the
 * segment alone must make it refuse; otherwise a refused body, so it can never write.
 */
function withSegment(context: RouteContext, kind: string, param: string, segment: string) {
  const path = context.path({ [param]: segment });
  if (context.validBody !== undefined && refusedByContract(context, param, segment))
    return draft(
      kind,
      { method: context.route.method, path, headers: JSON_TYPE, body: JSON.stringify(context.validBody) },
      { refused: true },
    );
  return draft(kind, elsewhere(context, path), refusedIfWrite(context));
}

const segmentKind = (name: string, count: number, segments: (context: RouteContext) => fc.Arbitrary<string>): Kind => ({
  name,
  count,
  appliesTo: hasParams,
  draw: (context) =>
    fc.tuple(fc.constantFrom(...context.params), segments(context)).map(([param, segment]) => withSegment(context, name, param, segment)),
});

const oddCharacters = segmentKind('path: odd characters', 40, () =>
  oddText(
    '..',
    '.',
    ' ',
    'ORDER#1',
    'PRODUCT#FUZZ-SEED-1',
    '{sku}',
    '<script>alert(1)</script>',
    "' OR '1'='1",
    '{"$ne":null}',
    'null',
    'undefined',
    '-1',
    '🙂',
    '\u202e',
    '\u0000',
    'a/b',
    'a?b=c',
    'a#b',
    '%',
    '*',
  ).map(percentEncode),
);

const encodedSeparators = segmentKind('path: percent-encoded separators and dot segments', 18, (context) =>
  fc.constantFrom(
    '%2F',
    'a%2Fb',
    '%2E%2E',
    '%2e',
    '..%2F..%2Fproducts',
    '%5C',
    'a%5Cb',
    '%23',
    '%3Fx%3D1',
    `${percentEncode(Object.values(context.known)[0] ?? 'x')}%2Fcancel`,
    '%252F',
    '%2500',
    '%00',
    '%0D%0A',
    '%09',
    '%20',
    '+',
    'a;b',
  ),
);

const malformedEncoding = segmentKind('path: malformed percent-encoding', 13, (context) =>
  fc.constantFrom(
    '%',
    '%%',
    '%ZZ',
    '%E0%A4%A',
    '%C0%AF',
    '%FF',
    '%ED%A0%80',
    'a%2',
    '%u0041',
    '%%41',
    `${percentEncode(Object.values(context.known)[0] ?? 'x')}%`,
    '%F0%9F%98',
    '%C3%28',
  ),
);

const longValue = segmentKind('path: very long value', 12, () =>
  fc
    .tuple(fc.constantFrom(65, 129, 256, 1_000, 4_000, 8_000), fc.constantFrom('a', 'é', '-'))
    .map(([length, unit]) => percentEncode(unit.repeat(length)).slice(0, 12_000)),
);

const overTheLineLimit: Kind = {
  name: "path: beyond the server's request-line limit",
  count: 1,
  appliesTo: hasParams,
  draw: (context) =>
    fc.constant(
      draft(overTheLineLimit.name, elsewhere(context, context.path({ [context.params[0] as string]: 'a'.repeat(20_000) })), {
        refused: true,
      }),
    ),
};

/** UTF-8 sent as raw bytes, unencoded, as some clients do. */
const unencodedBytes = segmentKind('path: unencoded non-ASCII bytes', 3, () =>
  fc.constantFrom('é', '🙂', 'Straße', 'ключ').map((value) => Buffer.from(value, 'utf8').toString('latin1')),
);

const pathVariants: Kind = {
  name: 'path: trailing slash, doubled slashes, other case',
  count: 8,
  appliesTo: always,
  draw: (context) => {
    const path = context.path();
    return fc
      .constantFrom(
        `${path}/`,
        path.replaceAll('/', '//'),
        path.toUpperCase(),
        `${path}/.`,
        `${path}/..`,
        `${path}/%20`,
        `${path}?`,
        `${path}#fragment`,
      )
      .map((variant) => draft(pathVariants.name, elsewhere(context, variant), refusedIfWrite(context)));
  },
};

export const pathKinds: Kind[] = [
  oddCharacters,
  encodedSeparators,
  malformedEncoding,
  longValue,
  overTheLineLimit,
  unencodedBytes,
  pathVariants,
];
