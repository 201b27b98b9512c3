import fc from 'fast-check';
import { accepts, JSON_TYPE, type Draft } from './requests';
import { draft, hasBody, oddText, type Kind } from './kind';
import { getAt, jsonTypeOf, JsonText, parsesAsJson, pathsOf, setAt, type Json, type JsonPath } from './json-text';
import type { RouteContext } from './route-context';
import { DEFAULT_MAX_BODY_BYTES } from '@storefront/lambda-runtime';

const MB = 1024 * 1024;
/** Beyond the handlers' body limit a body may be refused for its size alone (413) instead of its content (400). */
const MAY_BE_TOO_LARGE = DEFAULT_MAX_BODY_BYTES;
/** API Gateway refuses bodies over 10 MB; so must every stand-in for it. */
const OVER_THE_LIMIT = 10 * MB + 512 * 1024;

const anyJson = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string({ maxLength: 12 }),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
) as fc.Arbitrary<Json>;

const sampleOf = (context: RouteContext) => context.validBody as Json;
const leavesOf = (value: Json) => pathsOf(value).filter((path) => jsonTypeOf(getAt(value, path)) !== 'object');
const leavesOfType = (value: Json, type: string) => {
  const typed = pathsOf(value).filter((path) => jsonTypeOf(getAt(value, path)) === type);
  return typed.length ? typed : leavesOf(value);
};

function refusedByContract(context: RouteContext, body: string | Buffer): boolean {
  const parsed = parsesAsJson(body.toString());
  return !parsed.ok || !accepts(context.route.body, parsed.value);
}

/** A JSON body the contract refuses, as a draft; undefined when the mutation happened to leave it acceptable. */
function refusedJson(context: RouteContext, kind: string, body: string | Buffer): Draft | undefined {
  if (!refusedByContract(context, body)) return undefined;
  const statuses = Buffer.byteLength(body) > MAY_BE_TOO_LARGE ? [400, 413] : [400];
  return draft(kind, { method: context.route.method, path: context.path(), headers: JSON_TYPE, body }, { statuses });
}

function withWrongType(value: Json, path: JsonPath, replacement: Json): Json | undefined {
  return jsonTypeOf(replacement) === jsonTypeOf(getAt(value, path)) ? undefined : setAt(value, path, replacement);
}

function rawAt(value: Json, text: JsonText, changes: [JsonPath, string][]): string {
  const changed = changes.reduce((body, [path, raw]) => setAt(body, path, text.raw(raw)), value);
  return text.render(changed);
}

const wrongRootType: Kind = {
  name: 'body: wrong JSON type at the root',
  count: 15,
  appliesTo: hasBody,
  draw: (context) =>
    fc
      .oneof(
        anyJson.filter((v) => jsonTypeOf(v) !== 'object'),
        fc.constant([sampleOf(context)]),
        fc.constant(JSON.stringify(context.validBody)),
      )
      .map((value) => refusedJson(context, wrongRootType.name, JSON.stringify(value))),
};

const wrongFieldType: Kind = {
  name: 'body: a field of the wrong JSON type',
  count: 50,
  appliesTo: hasBody,
  draw: (context) =>
    fc.tuple(fc.constantFrom(...pathsOf(sampleOf(context))), anyJson).map(([path, replacement]) => {
      const body = withWrongType(sampleOf(context), path, replacement);
      return body === undefined ? undefined : refusedJson(context, wrongFieldType.name, JSON.stringify(body));
    }),
};

const missingFields: Kind = {
  name: 'body: missing fields',
  count: 20,
  appliesTo: hasBody,
  draw: (context) =>
    fc.subarray(pathsOf(sampleOf(context)), { minLength: 1 }).map((paths) => {
      // Deepest and last first, so earlier removals do not shift later paths.
      const ordered = [...paths].sort((a, b) => b.length - a.length || String(b.at(-1)).localeCompare(String(a.at(-1))));
      const body = ordered.reduce(
        (value, path) => (getAt(value, path) === undefined ? value : setAt(value, path, undefined)),
        sampleOf(context),
      );
      return refusedJson(context, missingFields.name, JSON.stringify(body));
    }),
};

const extraKey = fc.oneof(
  fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    'status',
    'orderId',
    'PK',
    'SK',
    'reserved',
    'createdAt',
    'toString',
    '$where',
    '',
  ),
  fc.string({ unit: 'binary', maxLength: 20 }),
);

const extraFields: Kind = {
  name: 'body: extra fields (and one field wrong)',
  count: 25,
  appliesTo: hasBody,
  draw: (context) => {
    const sample = sampleOf(context);
    const objects: JsonPath[] = [[], ...pathsOf(sample).filter((path) => jsonTypeOf(getAt(sample, path)) === 'object')];
    return fc
      .tuple(
        fc.array(fc.tuple(fc.constantFrom(...objects), extraKey, anyJson), { minLength: 1, maxLength: 4 }),
        fc.constantFrom(...leavesOf(sample)),
        anyJson,
      )
      .map(([extras, wrongPath, wrongValue]) => {
        const text = new JsonText();
        let body = withWrongType(sample, wrongPath, wrongValue);
        if (body === undefined) return undefined;
        for (const [path, key, value] of extras) {
          // A literal "__proto__" member, as a client would send it, not a prototype change here.
          const member = key === '__proto__' ? text.raw('"__proto__"') : key;
          const target = getAt(body, path);
          if (target === null || typeof target !== 'object' || Array.isArray(target)) continue;
          body = setAt(body, [...path, member], value);
        }
        return refusedJson(context, extraFields.name, text.render(body));
      });
  },
};

const numberKind = (name: string, count: number, values: fc.Arbitrary<string>): Kind => ({
  name,
  count,
  appliesTo: hasBody,
  draw: (context) =>
    fc
      .array(fc.tuple(fc.constantFrom(...leavesOfType(sampleOf(context), 'number')), values), { minLength: 1, maxLength: 3 })
      .map((changes) => refusedJson(context, name, rawAt(sampleOf(context), new JsonText(), changes))),
});

const hugeNumbers = numberKind(
  'body: huge numbers',
  20,
  fc.oneof(
    fc.constantFrom(
      '1e308',
      '-1e308',
      '1e400',
      '-1e400',
      '1E+1000',
      '9007199254740993',
      '-9007199254740993',
      '123456789012345678901234567890',
      '18446744073709551616',
      '1e-400',
      '4.9e-324',
      '2147483648',
      '1000000001',
      '-1000000001',
    ),
    fc.bigInt({ min: 10n ** 10n, max: 10n ** 40n }).map((n) => (n % 2n ? '-' : '') + String(n)),
  ),
);

const badQuantities = numberKind(
  'body: negative, zero or fractional numbers',
  30,
  fc.oneof(
    fc.constantFrom('-1', '0', '-0', '0.5', '1.5', '-0.5', '0.1', '1e-9', '-1000', '999.999', '2.0000000001', '-1e-7'),
    fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }).map(String),
    fc.integer({ min: -1_000_000, max: 0 }).map(String),
  ),
);

const longStrings: Kind = {
  name: 'body: very long strings',
  count: 10,
  draws: 20,
  appliesTo: hasBody,
  draw: (context) =>
    fc
      .tuple(
        fc.constantFrom(...leavesOfType(sampleOf(context), 'string')),
        fc.constantFrom(1_000, 5_000, 20_000, 100_000, 1_000_000),
        fc.constantFrom('x', 'é', '🙂', '\u0000', '"', '\\', 'ab '),
      )
      .map(([path, length, unit]) => {
        // About a megabyte at most: size limits have their own kinds.
        const repeat = Math.min(length, Math.floor(1_000_000 / Buffer.byteLength(unit)));
        return refusedJson(context, longStrings.name, JSON.stringify(setAt(sampleOf(context), path, unit.repeat(repeat))));
      }),
};

const oddValues = oddText(
  '\u0000',
  '\ud800',
  '\udfff',
  'x\ud83d',
  '\u202eRUE',
  '\ufeffEUR',
  'E\u0301UR',
  '🙂',
  'ＥＵＲ',
  'ΕUR',
  'E\u200bUR',
  'SKU\u0000',
);

const unicodeStrings: Kind = {
  name: 'body: unicode strings',
  count: 50,
  appliesTo: hasBody,
  draw: (context) => {
    const sample = sampleOf(context);
    const strings = pathsOf(sample).filter((path) => typeof getAt(sample, path) === 'string');
    const others = leavesOf(sample).filter((path) => typeof getAt(sample, path) !== 'string');
    return fc
      .tuple(
        fc.array(oddValues, { minLength: strings.length, maxLength: strings.length }),
        fc.constantFrom(...(others.length ? others : leavesOf(sample))),
        anyJson,
      )
      .map(([texts, wrongPath, wrongValue]) => {
        const body = strings.reduce((value, path, i) => setAt(value, path, texts[i] ?? ''), sample);
        // Unicode the contract accepts (a customer id may be any text): break another field too, so nothing is written.
        const refused = refusedByContract(context, JSON.stringify(body)) ? body : withWrongType(body, wrongPath, wrongValue);
        return refused === undefined ? undefined : refusedJson(context, unicodeStrings.name, JSON.stringify(refused));
      });
  },
};

const deepNesting: Kind = {
  name: 'body: deep nesting',
  count: 8,
  draws: 16,
  appliesTo: hasBody,
  draw: (context) =>
    fc
      .tuple(
        fc.constantFrom<JsonPath>([], ...pathsOf(sampleOf(context))),
        fc.constantFrom(64, 1_000, 10_000, 100_000),
        fc.constantFrom('array', 'object'),
      )
      .map(([path, depth, shape]) => {
        const nested = shape === 'array' ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
        const body = path.length === 0 ? nested : rawAt(sampleOf(context), new JsonText(), [[path, nested]]);
        return refusedJson(context, deepNesting.name, body);
      }),
};

const notJson: Kind = {
  name: 'body: not JSON',
  count: 40,
  appliesTo: hasBody,
  draw: (context) => {
    const sample = JSON.stringify(context.validBody);
    return fc
      .oneof(
        fc.integer({ min: 1, max: sample.length - 1 }).map((end) => sample.slice(0, end)),
        fc.constantFrom('x', ',', '}', ' {}', '\u0000', '//', ']').map((tail) => sample + tail),
        fc.constantFrom(
          sample.replaceAll('"', "'"),
          sample.replace(/}$/, ',}'),
          sample.replace(/"([A-Za-z]+)":/g, '$1:'),
          `/* order */ ${sample}`,
          '{"a": NaN}',
          '{"a": undefined}',
          '{"a": 0x10}',
          '{"a": .5}',
          '{"a": 01}',
          '<order><customerId>x</customerId></order>',
          'customerId=x&currency=EUR',
          `${context.refusedBody}\n${context.refusedBody}`,
          `\ufeff${context.refusedBody}`,
        ),
        fc.string({ unit: 'binary', minLength: 1, maxLength: 60 }),
        fc.uint8Array({ minLength: 1, maxLength: 64 }).map((bytes) => Buffer.from(bytes)),
      )
      .map((body) => (parsesAsJson(body.toString()).ok ? undefined : refusedJson(context, notJson.name, body)));
  },
};

const emptyBody: Kind = {
  name: 'body: empty',
  count: 4,
  appliesTo: hasBody,
  draw: (context) => fc.constantFrom('', ' ', '\n', '\r\n\t ').map((body) => refusedJson(context, emptyBody.name, body)),
};

/** A route that takes a body reads only JSON: a request that says nothing of what it sends is a 415, body or not. */
const noBody: Kind = {
  name: 'body: none, and no content type',
  count: 1,
  appliesTo: hasBody,
  draw: (context) =>
    fc.constant(draft(noBody.name, { method: context.route.method, path: context.path(), headers: {} }, { statuses: [415] })),
};

function flatten(value: Json, prefix = ''): [string, string][] {
  if (value === null || typeof value !== 'object') return [[prefix, String(value)]];
  return Object.entries(value).flatMap(([key, child]) => flatten(child, prefix ? `${prefix}[${key}]` : key));
}
const xmlOf = (value: Json): string =>
  value === null || typeof value !== 'object'
    ? String(value)
    : Object.entries(value)
        .map(([key, child]) => `<${/^\d/.test(key) ? 'item' : key}>${xmlOf(child)}</${/^\d/.test(key) ? 'item' : key}>`)
        .join('');
const BOUNDARY = 'fuzzboundary';
const multipart = (parts: [string, string, string?][]) =>
  parts
    .map(
      ([name, value, type]) =>
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n${type ? `Content-Type: ${type}\r\n` : ''}\r\n${value}\r\n`,
    )
    .join('') + `--${BOUNDARY}--\r\n`;

/** A body the contract accepts, sent as something other than JSON: 415, and nothing stored. */
const notJsonContentType: Kind = {
  name: 'content type: not JSON, with a valid body',
  count: 17,
  appliesTo: hasBody,
  draw: (context) => {
    const sample = sampleOf(context);
    const json = JSON.stringify(sample);
    const form = new URLSearchParams(flatten(sample)).toString();
    const renderings: [string, string][] = [
      ['text/plain', json],
      ['text/plain; charset=utf-8', json],
      ['text/plain', form],
      ['application/xml', `<?xml version="1.0"?><body>${xmlOf(sample)}</body>`],
      ['application/xml', json],
      ['text/xml', `<body>${xmlOf(sample)}</body>`],
      ['application/x-www-form-urlencoded', form],
      ['application/x-www-form-urlencoded', json],
      [`multipart/form-data; boundary=${BOUNDARY}`, multipart([['body', json, 'application/json']])],
      [`multipart/form-data; boundary=${BOUNDARY}`, multipart(flatten(sample).map(([name, value]) => [name, value]))],
      ['text/html', json],
      ['application/octet-stream', json],
      ['image/png', json],
      [
        'text/csv',
        `${flatten(sample)
          .map(([name]) => name)
          .join(',')}\n${flatten(sample)
          .map(([, value]) => value)
          .join(',')}`,
      ],
      ['application/javascript', json],
      ['application/x-yaml', json],
      ['application/xhtml+xml', json],
    ];
    return fc
      .constantFrom(...renderings)
      .map(([contentType, body]) =>
        draft(
          notJsonContentType.name,
          { method: context.route.method, path: context.path(), headers: { 'content-type': contentType }, body },
          { statuses: [415] },
        ),
      );
  },
};

/** Not one media type, so not JSON: a 415 as for any other media type, never a 400 for a body the handler never read. */
const malformedContentType: Kind = {
  name: 'content type: malformed, with a valid body',
  count: 10,
  appliesTo: hasBody,
  draw: (context) =>
    fc
      .constantFrom(
        'garbage',
        'application/',
        '/plain',
        ';',
        'text/',
        'multipart/form-data',
        '*/*',
        'application/*',
        'text/plain; charset',
        'a/b/c',
      )
      .map((contentType) =>
        draft(
          malformedContentType.name,
          {
            method: context.route.method,
            path: context.path(),
            headers: { 'content-type': contentType },
            body: JSON.stringify(context.validBody),
          },
          { statuses: [415] },
        ),
      ),
};

/**
 * A body the contract accepts, with no content type, an empty one, a list of media types (in one header, or the
 * header sent twice, which API Gateway joins with a comma) or a JSON media type spoilt by what follows it. The
 * function sees the header as sent, as on AWS: 415, and nothing stored. (serverless-offline would add
 * `application/json` to the first two, and its hapi answer the others 400 before any function ran.)
 */
const contentTypeNotOneMediaType: Kind = {
  name: 'content type: missing, empty or a list, with a valid body',
  count: 13,
  // Enough draws of the 13 that every one of them comes up.
  draws: 200,
  appliesTo: hasBody,
  draw: (context) => {
    const sent = (headers: Record<string, string>, repeated: [string, string][] = []) =>
      draft(
        contentTypeNotOneMediaType.name,
        { method: context.route.method, path: context.path(), headers, repeated, body: JSON.stringify(context.validBody) },
        { statuses: [415] },
      );
    return fc.constantFrom(
      sent({}),
      sent({ 'content-type': '' }),
      sent({ 'content-type': ' \t ' }),
      sent({ 'content-type': 'application/json, text/plain' }),
      sent({ 'content-type': 'text/plain, application/json' }),
      sent({ 'content-type': 'application/json,application/json' }),
      sent({ 'content-type': 'application/json; charset=utf-8, text/plain' }),
      sent({ 'content-type': 'application/json; charset=utf-8; charset=latin1' }),
      sent({ 'content-type': 'application/json; charset' }),
      sent({ 'content-type': '"application/json"' }),
      sent({ 'content-type': 'application/json garbage' }),
      sent({}, [
        ['content-type', 'application/json'],
        ['content-type', 'text/plain'],
      ]),
      sent({}, [
        ['content-type', 'application/json'],
        ['content-type', 'application/json'],
      ]),
    );
  },
};

const oversized: Kind = {
  name: 'body: over 10 MB',
  count: 2,
  draws: 6,
  appliesTo: hasBody,
  draw: (context) =>
    fc.constantFrom('a long field', 'not JSON').map((shape) => {
      const [first] = leavesOfType(sampleOf(context), 'string');
      const body =
        shape === 'not JSON' || !first
          ? 'x'.repeat(OVER_THE_LIMIT)
          : JSON.stringify(setAt(sampleOf(context), first, 'x'.repeat(OVER_THE_LIMIT)));
      return draft(oversized.name, { method: context.route.method, path: context.path(), headers: JSON_TYPE, body }, { statuses: [413] });
    }),
};

const large: Kind = {
  name: 'body: 7 MB',
  count: 1,
  draws: 1,
  appliesTo: hasBody,
  draw: (context) => {
    const [first] = leavesOfType(sampleOf(context), 'string');
    return fc.constant(
      first ? refusedJson(context, large.name, JSON.stringify(setAt(sampleOf(context), first, 'x'.repeat(7 * MB)))) : undefined,
    );
  },
};

export const bodyKinds: Kind[] = [
  wrongRootType,
  wrongFieldType,
  missingFields,
  extraFields,
  hugeNumbers,
  badQuantities,
  longStrings,
  unicodeStrings,
  deepNesting,
  notJson,
  emptyBody,
  noBody,
  notJsonContentType,
  malformedContentType,
  contentTypeNotOneMediaType,
  oversized,
  large,
];
