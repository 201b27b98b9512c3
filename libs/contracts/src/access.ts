/**
 * Who may call a route. API Gateway's JWT authorizer checks the token (signature, issuer, client, expiry) and that
 * it carries one of the route's scopes; the handler then checks the group and, for a customer's own data,
 * ownership. Tokens are Cognito access tokens: `sub` is the customer id, `cognito:groups` the groups.
 */

/** The scopes of the API's resource server (the platform template declares the same ones). */
export const Scopes = {
  /** Place, read and cancel one's own orders; read one's notifications and payments. */
  shop: 'storefront/shop',
  /** Run the catalogue, read every order. Only admins get it; the handlers check the group too. */
  admin: 'storefront/admin',
} as const;

export const Groups = { customers: 'customers', admins: 'admins' } as const;

/** `public`: anyone; `customer`: a signed-in customer (or an admin); `admin`: the admins group only. */
export type RouteAccess = 'public' | 'customer' | 'admin';

export interface AccessRequirement {
  /** The token must carry one of these scopes (checked by the API's authorizer). */
  scopes: string[];
  /** The caller must be in one of these groups (checked by the handler). */
  groups?: string[];
}

export const ACCESS_REQUIREMENTS: Record<Exclude<RouteAccess, 'public'>, AccessRequirement> = {
  customer: { scopes: [Scopes.shop] },
  admin: { scopes: [Scopes.admin], groups: [Groups.admins] },
};

/** The verified identity behind a request. */
export interface Caller {
  /** The token's subject: the customer id. */
  id: string;
  groups: string[];
  scopes: string[];
}

export const isAdmin = (caller: Caller): boolean => caller.groups.includes(Groups.admins);

/** A customer's own data, or an admin's view of anyone's. */
export const mayActFor = (caller: Caller, customerId: string): boolean => caller.id === customerId || isAdmin(caller);

/**
 * API Gateway hands JWT claims to the function as strings: an array claim such as `cognito:groups` arrives as
 * `"[admins customers]"`. Accepts that form, a JSON array, or a plain space-separated list.
 */
export function claimList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value !== 'string') return [];
  const text = value.trim();
  const inner = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  return inner.split(/[\s,]+/).filter(Boolean);
}

/** The caller a request's verified claims describe, or undefined when there is no subject. */
export function callerFromClaims(claims: Record<string, unknown> | undefined, scopes?: unknown): Caller | undefined {
  const id = claims?.sub;
  if (typeof id !== 'string' || !id) return undefined;
  return {
    id,
    groups: claimList(claims?.['cognito:groups']),
    scopes: scopes === undefined || scopes === null ? claimList(claims?.scope) : claimList(scopes),
  };
}
