import { createHmac } from 'node:crypto';
import { ValidationError } from '@storefront/errors';
import { PageCursors, type PageListing } from '../src';

const SIGNING_KEY = 'unit-test-page-cursor-key-0123456789abcdef';
const cursors = new PageCursors(SIGNING_KEY);

const customerOrders = (customerId: string): PageListing => ({
  table: 'orders',
  key: ['PK', 'SK'],
  index: { name: 'GSI1', key: ['GSI1PK', 'GSI1SK'] },
  partition: `CUSTOMER#${customerId}`,
});
const listingA = customerOrders('a');
const lastKeyOfA = { PK: 'ORDER#o-1', SK: 'ORDER', GSI1PK: 'CUSTOMER#a', GSI1SK: '2026-03-01T10:00:00.000Z#o-1' };
const cursorOfA = cursors.issue(listingA, lastKeyOfA) as string;

/** What `open` throws, so each test can assert it is the client error the HTTP layer answers 400 with. */
function refusal(listing: PageListing, cursor: string, by: PageCursors = cursors) {
  try {
    by.open(listing, cursor);
  } catch (error) {
    return error;
  }
  return undefined;
}

const expectRefused = (listing: PageListing, cursor: string, by?: PageCursors) => {
  const error = refusal(listing, cursor, by);
  expect(error).toBeInstanceOf(ValidationError);
  expect((error as ValidationError).issues).toEqual([{ path: 'query.cursor', message: expect.any(String) }]);
};

/** A cursor for customer A's listing, signed with the real key over any JSON: what only a holder of the key could make. */
function signedByKeyHolder(json: string) {
  const position = Buffer.from(json).toString('base64url');
  const scope = JSON.stringify(['storefront-page-cursor-v1', 'orders', 'GSI1', 'GSI1PK', 'CUSTOMER#a']);
  return `${position}.${createHmac('sha256', SIGNING_KEY).update(scope).update('\n').update(position).digest('base64url')}`;
}

describe('page cursors', () => {
  it('gives back the key it was issued for, from a URL-safe string', () => {
    expect(cursorOfA).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(cursorOfA.length).toBeLessThan(300);
    expect(cursors.open(listingA, cursorOfA)).toEqual(lastKeyOfA);
  });

  it('round-trips the key of a table listing, including number values', () => {
    const readings: PageListing = { table: 'readings', key: ['device', 'at'], partition: 'd-1' };
    const key = { device: 'd-1', at: 1_767_225_600 };

    expect(cursors.open(readings, cursors.issue(readings, key) as string)).toEqual(key);
  });

  it('has no cursor when there is no next page, and no start key without a cursor', () => {
    expect(cursors.issue(listingA, undefined)).toBeUndefined();
    expect(cursors.open(listingA, undefined)).toBeUndefined();
  });

  it('trusts nothing in a cursor a client changed', () => {
    const [position = '', signature = ''] = cursorOfA.split('.');
    const flip = (text: string, at: number) => text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);
    const decoded = JSON.parse(Buffer.from(position, 'base64url').toString('utf8')) as Record<string, unknown>;
    const withPosition = (json: string) => `${Buffer.from(json).toString('base64url')}.${signature}`;
    const tampered = {
      'a character of the position': `${flip(position, 5)}.${signature}`,
      'the last character of the signature': `${position}.${flip(signature, signature.length - 1)}`,
      'a truncated cursor': cursorOfA.slice(0, -1),
      'a cursor cut before its signature': position,
      'an extended cursor': `${cursorOfA}A`,
      'base64 padding added': `${cursorOfA}=`,
      'the same key re-encoded with spaces': withPosition(JSON.stringify(decoded, null, 1)),
      'the same key with its attributes reordered': withPosition(JSON.stringify(Object.fromEntries(Object.entries(decoded).reverse()))),
      'another sort position': withPosition(JSON.stringify({ ...decoded, GSI1SK: '2000-01-01T00:00:00.000Z#o-0' })),
      'another partition': withPosition(JSON.stringify({ ...decoded, GSI1PK: 'CUSTOMER#b' })),
      'an extra attribute': withPosition(JSON.stringify({ ...decoded, extra: 'x' })),
      'a huge number': withPosition(JSON.stringify({ ...decoded, GSI1SK: 1e308 })),
      'the unsigned cursors of old': Buffer.from(JSON.stringify(decoded)).toString('base64url'),
      garbage: 'not-a-cursor',
      'a random string of the right shape': `${'x'.repeat(position.length)}.${'y'.repeat(43)}`,
      'a single dot': '.',
    };

    for (const [label, cursor] of Object.entries(tampered)) {
      expect([label, refusal(listingA, cursor)]).toEqual([label, expect.any(ValidationError)]);
    }
    expectRefused(listingA, tampered['a truncated cursor']);
  });

  it("refuses a cursor of customer A's listing on customer B's", () => {
    expectRefused(customerOrders('b'), cursorOfA);
  });

  it('refuses a cursor of another index, another table, or the table itself', () => {
    expectRefused({ ...listingA, index: { name: 'GSI2', key: ['GSI1PK', 'GSI1SK'] } }, cursorOfA);
    expectRefused({ ...listingA, table: 'orders-copy' }, cursorOfA);
    expectRefused({ table: 'orders', key: ['PK', 'SK'], partition: 'CUSTOMER#a' }, cursorOfA);
  });

  it('refuses a cursor signed with another key', () => {
    const otherService = new PageCursors('another-page-cursor-key-0123456789abcdef');

    expectRefused(listingA, otherService.issue(listingA, lastKeyOfA) as string);
    expectRefused(listingA, cursorOfA, otherService);
  });

  it('checks the shape of a key even when its signature is right', () => {
    const json = (key: unknown) => JSON.stringify(key);
    const shapes = {
      'an extra attribute': json({ ...lastKeyOfA, extra: 'x' }),
      'a missing attribute': json({ PK: lastKeyOfA.PK, SK: lastKeyOfA.SK, GSI1PK: lastKeyOfA.GSI1PK }),
      'another partition': json({ ...lastKeyOfA, GSI1PK: 'CUSTOMER#b' }),
      'a nested value': json({ ...lastKeyOfA, GSI1SK: { S: 'x' } }),
      'a boolean': json({ ...lastKeyOfA, GSI1SK: true }),
      'an array': json(Object.values(lastKeyOfA)),
      'a number too large for a double': json(lastKeyOfA).replace(`"${lastKeyOfA.GSI1SK}"`, '1e999'),
      'not JSON': '{"PK":',
    };

    for (const [label, payload] of Object.entries(shapes)) {
      expect([label, refusal(listingA, signedByKeyHolder(payload))]).toEqual([label, expect.any(ValidationError)]);
    }
    expect(cursors.open(listingA, signedByKeyHolder(json(lastKeyOfA)))).toEqual(lastKeyOfA);
  });

  it('will not issue a cursor for a key that does not fit the listing', () => {
    expect(() => cursors.issue(listingA, { PK: 'ORDER#o-1', SK: 'ORDER' })).toThrow(/key schema/);
  });

  it('refuses a signing key too short to be safe', () => {
    expect(() => new PageCursors('short')).toThrow(/at least 32 bytes/);
  });
});
