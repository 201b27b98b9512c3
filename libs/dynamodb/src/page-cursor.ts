import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';
import { ValidationError } from '@storefront/errors';

/** A DynamoDB key as a query's LastEvaluatedKey / ExclusiveStartKey holds it. */
export type DynamoKey = Record<string, string | number>;

/** Key attribute names: the partition key, then the sort key if there is one. */
export type KeySchema = readonly [partition: string, sort?: string];

/**
 * The one listing a cursor may continue: one partition of a table, or of one
 * of its indexes. A cursor is signed for exactly this, so it cannot be replayed
 * on another customer's listing, another index or another table.
 */
export interface PageListing {
  table: string;
  /** The table's own key schema: every LastEvaluatedKey carries it. */
  key: KeySchema;
  /** The index queried, if any; its partition key is then the one the listing reads. */
  index?: { name: string; key: KeySchema };
  /** The value of the partition key this listing reads. */
  partition: string;
}

// Cursor = <base64url JSON of the key>.<base64url HMAC-SHA256>; the MAC is 32 bytes, 43 characters.
const CURSOR_FORMAT = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{43})$/;
// Changing what a cursor holds or signs changes this, which invalidates every cursor issued before.
const FORMAT_VERSION = 'storefront-page-cursor-v1';
/** HMAC-SHA256 keys shorter than its 32-byte output weaken it (RFC 2104, section 3). */
const MIN_PAGE_CURSOR_KEY_BYTES = 32;

/** The attribute holding the listing's partition: the index's partition key when it reads an index. */
export function partitionAttributeOf(listing: PageListing): string {
  return (listing.index?.key ?? listing.key)[0];
}

/** Every attribute a LastEvaluatedKey of the listing holds: the table's key and the index's. */
function keyAttributesOf(listing: PageListing): Set<string> {
  return new Set([...listing.key, ...(listing.index?.key ?? [])].filter((name): name is string => name !== undefined));
}

/** The key, if it has exactly the listing's key attributes, plain values, and the listing's partition. */
function asListingKey(listing: PageListing, value: unknown): DynamoKey | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const attributes = keyAttributesOf(listing);
  const entries = Object.entries(value);
  const plain = (v: unknown) => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));
  if (entries.length !== attributes.size || !entries.every(([name, v]) => attributes.has(name) && plain(v))) return undefined;
  return (value as DynamoKey)[partitionAttributeOf(listing)] === listing.partition ? (value as DynamoKey) : undefined;
}

const invalidCursor = (cause?: unknown) =>
  new ValidationError(
    'The page cursor is not valid for this listing',
    [{ path: 'query.cursor', message: 'pass back, unchanged, the nextCursor of a previous page of this same listing' }],
    cause === undefined ? undefined : { cause },
  );

/**
 * Opaque, tamper-evident page cursors. A cursor is the position DynamoDB
 * returned (LastEvaluatedKey) plus an HMAC over that position and the listing
 * it belongs to; anything else a client sends back is a 400 before any query.
 */
export class PageCursors {
  readonly #key: KeyObject;

  constructor(signingKey: string) {
    if (Buffer.byteLength(signingKey, 'utf8') < MIN_PAGE_CURSOR_KEY_BYTES)
      throw new Error(`The page cursor signing key must be at least ${MIN_PAGE_CURSOR_KEY_BYTES} bytes long`);
    this.#key = createSecretKey(Buffer.from(signingKey, 'utf8'));
  }

  /** The cursor for the page after `lastEvaluatedKey`; none when there is no next page. */
  issue(listing: PageListing, lastEvaluatedKey: Record<string, unknown> | undefined): string | undefined {
    if (!lastEvaluatedKey) return undefined;
    // DynamoDB answered with another key shape than the listing declares: a bug in the listing, not the client's fault.
    if (!asListingKey(listing, lastEvaluatedKey))
      throw new Error(
        `The last evaluated key of ${listing.table}${listing.index ? `/${listing.index.name}` : ''} does not match its key schema`,
      );
    const position = Buffer.from(JSON.stringify(lastEvaluatedKey), 'utf8').toString('base64url');
    return `${position}.${this.#signature(listing, position)}`;
  }

  /** The start key a cursor stands for, if this service issued it for this very listing; otherwise a ValidationError. */
  open(listing: PageListing, cursor: string | undefined): DynamoKey | undefined {
    if (cursor === undefined) return undefined;
    const [, position, signature] = CURSOR_FORMAT.exec(cursor) ?? [];
    if (!position || !signature || !sameText(signature, this.#signature(listing, position))) throw invalidCursor();
    let key: DynamoKey | undefined;
    try {
      key = asListingKey(listing, JSON.parse(Buffer.from(position, 'base64url').toString('utf8')));
    } catch (cause) {
      throw invalidCursor(cause);
    }
    // Only reachable with the signing key: checked anyway, so nothing odd ever reaches DynamoDB.
    if (!key) throw invalidCursor();
    return key;
  }

  #signature(listing: PageListing, position: string): string {
    const scope = JSON.stringify([
      FORMAT_VERSION,
      listing.table,
      listing.index?.name ?? null,
      partitionAttributeOf(listing),
      listing.partition,
    ]);
    return createHmac('sha256', this.#key).update(scope).update('\n').update(position).digest('base64url');
  }
}

/** Compares in constant time, so response timing reveals nothing of the expected signature. */
function sameText(given: string, expected: string): boolean {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
