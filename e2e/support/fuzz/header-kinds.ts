import fc from 'fast-check';
import { accepts, JSON_TYPE } from './requests';
import { always, draft, elsewhere, refusedIfWrite, type Kind } from './kind';
import type { RouteContext } from './route-context';

/** HTTP carries header values as bytes; Node sends a string's characters as Latin-1, so UTF-8 travels as its bytes. */
const asBytes = (text: string) => Buffer.from(text, 'utf8').toString('latin1');
/** What a client can put in a header at all (no control characters but tab). */
const sendable = (value: string) => /^[\t\x20-\x7e\x80-\xff]+$/.test(value);

const oddCorrelationId: Kind = {
  name: 'headers: odd x-correlation-id',
  count: 10,
  appliesTo: always,
  draw: (context) =>
    fc
      .constantFrom(
        'cl\u00e9',
        asBytes('🙂'),
        'x'.repeat(8_000),
        'a\tb',
        'a, b',
        '../../etc/passwd',
        '<script>',
        '"quoted"',
        'x'.repeat(300),
        '\u00ff\u00fe',
      )
      .map((value) =>
        draft(oddCorrelationId.name, elsewhere(context, context.path(), { 'x-correlation-id': value }), refusedIfWrite(context)),
      ),
};

const overTheHeaderLimit: Kind = {
  name: "headers: beyond the server's header limit",
  count: 1,
  appliesTo: always,
  draw: (context) =>
    fc.constant(
      draft(overTheHeaderLimit.name, elsewhere(context, context.path(), { 'x-fuzz-padding': 'x'.repeat(20_000) }), { refused: true }),
    ),
};

const manyHeaders: Kind = {
  name: 'headers: many headers',
  count: 1,
  appliesTo: always,
  draw: (context) =>
    fc.constant(
      draft(
        manyHeaders.name,
        elsewhere(context, context.path(), Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`x-fuzz-${i}`, `value-${i}`]))),
        refusedIfWrite(context),
      ),
    ),
};

const headerNames = (context: RouteContext) =>
  Object.keys((context.route.headers as unknown as { shape?: Record<string, unknown> } | undefined)?.shape ?? {});

/** What the server sees of a value: HTTP drops leading and trailing spaces and tabs. */
const received = (value: string) => value.replace(/^[ \t]+|[ \t]+$/g, '');

/**
 * Values of a header the contract validates, each one the contract refuses; sent with an
 * otherwise valid request, so the header alone must make it a 400.
 */
const badContractHeader: Kind = {
  name: 'headers: a value the contract refuses',
  count: 40,
  appliesTo: (context) => headerNames(context).length > 0,
  draw: (context) =>
    fc
      .tuple(
        fc.constantFrom(...headerNames(context)),
        fc.oneof(
          fc.constantFrom(256, 1_000, 8_000).map((length) => 'k'.repeat(length)),
          fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 20 }),
          fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }).map(asBytes),
          fc.constantFrom('a b', 'a\tb', 'cl\u00e9', asBytes('🔑'), 'key\u0080', 'a,b c'),
        ),
      )
      .map(([name, value]) => {
        if (!sendable(value) || received(value) === '' || accepts(context.route.headers, { [name]: received(value) })) return undefined;
        const request =
          context.validBody === undefined
            ? elsewhere(context, context.path(), { [name]: value })
            : {
                method: context.route.method,
                path: context.path(),
                headers: { ...JSON_TYPE, [name]: value },
                body: JSON.stringify(context.validBody),
              };
        return draft(badContractHeader.name, request, { statuses: [400] });
      }),
};

export const headerKinds: Kind[] = [oddCorrelationId, overTheHeaderLimit, manyHeaders, badContractHeader];
