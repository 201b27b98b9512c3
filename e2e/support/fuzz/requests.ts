import { parseWith, type HttpRoute, type Schema } from '@storefront/contracts';
import type { Identity, TokenFlaw } from '../tokens';

export interface RawRequest {
  method: string;
  /** Sent byte for byte: percent-encoding (or its absence) is part of the case. */
  path: string;
  headers: Record<string, string>;
  /** Header lines sent after `headers`, so that a name can go twice (API Gateway joins them with a comma). */
  repeated?: [name: string, value: string][];
  body?: string | Buffer;
}

/**
 * What a case demands beyond the rules every answer obeys (no 5xx, problem+json on a 4xx):
 * one of these statuses, or a refusal (any 4xx) for a request the contract does not accept.
 */
export type Expectation = { statuses: number[] } | { refused: true } | undefined;

/** Who sends a case: an identity's token, or one made wrong on purpose (`flaw`). */
export interface Caller {
  as: Identity;
  flaw?: TokenFlaw;
}

export interface FuzzCase {
  id: number;
  /** `METHOD /template` of the contract route the case was drawn for. */
  route: string;
  kind: string;
  request: RawRequest;
  expect: Expectation;
  /** Whose bearer token goes with the request; none (anonymous) when undefined. */
  caller?: Caller | undefined;
}

/** A drawn case; without a `caller`, it is sent by whoever the route's usual requests come from, `anonymous` by no one. */
export type Draft = Omit<FuzzCase, 'id' | 'route' | 'caller'> & { caller?: Caller | 'anonymous' };

/** The seeded system the cases point at: an existing product, order and customer, and a real cursor per listing. */
export interface World {
  sku: string;
  orderId: string;
  customerId: string;
  /** nextCursor of a one-item page, by route key. */
  cursors: Record<string, string>;
}

export type RouteName = string;
export const routeKey = (route: HttpRoute) => `${route.method} ${route.template}`;
export const isWrite = (route: HttpRoute) => route.method !== 'GET';
export const accepts = (schema: Schema | undefined, value: unknown) => !schema || parseWith(schema, value).success;

export const JSON_TYPE = { 'content-type': 'application/json' };

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** UTF-8 percent-encoding of everything but unreserved characters; a lone surrogate goes as U+FFFD, as UTF-8 would carry it. */
export function percentEncode(value: string): string {
  return encodeURIComponent(value.replace(LONE_SURROGATE, '\uFFFD')).replace(
    /[!'()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

export function decodedOrRaw(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

export const paramsOf = (template: string) => [...template.matchAll(/\{([^}+]+)\+?\}/g)].map((m) => m[1] as string);

/** The template with its parameters replaced by already-encoded segments. */
export function fillTemplate(template: string, segments: Record<string, string>): string {
  return template.replace(/\{([^}+]+)\+?\}/g, (_, name: string) => {
    const segment = segments[name];
    if (segment === undefined) throw new Error(`no value for {${name}} of ${template}`);
    return segment;
  });
}

/** Deterministic 32-bit seed for one route and kind, so adding a route leaves the other routes' cases as they were. */
export function seedFor(base: number, ...parts: string[]): number {
  let hash = base >>> 0;
  for (const char of parts.join('|')) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0;
  return hash | 0;
}
