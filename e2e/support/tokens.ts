/**
 * Bearer tokens for the end-to-end suites, from the local stack's identity provider (`POST /_local/tokens` on its
 * gateway): a customer's (the token's subject is the customer id, so it is whose orders the customer places and
 * reads) or an admin's. Overrides make the tokens the gateway must refuse: expired, of another issuer or client,
 * without the scopes a route asks for.
 */

/** Who calls: a customer by id, or an admin. */
export type Identity = { customer: string } | 'admin';

export interface TokenOverrides {
  /** Seconds from now until it expires; negative for one already expired. */
  expiresInSeconds?: number;
  scopes?: string[];
  groups?: string[];
  issuer?: string;
  clientId?: string;
}

export async function mintToken(base: string, identity: Identity, overrides: TokenOverrides = {}): Promise<string> {
  const response = await fetch(`${base}/_local/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...(identity === 'admin' ? { admin: true } : identity), ...overrides }),
  });
  const text = await response.text();
  if (response.status !== 200)
    throw new Error(`the local stack minted no token for ${JSON.stringify(identity)}: ${response.status} ${text}`);
  return (JSON.parse(text) as { access_token: string }).access_token;
}

/** Ways a token can be wrong: each must be refused by the API's authorizer (401; 403 for missing scopes) or the handler (403). */
export type TokenFlaw = 'tampered' | 'expired' | 'other-issuer' | 'other-client' | 'no-scope' | 'admin-scope-without-group';

const FLAWS: Record<Exclude<TokenFlaw, 'tampered'>, TokenOverrides> = {
  expired: { expiresInSeconds: -60 },
  'other-issuer': { issuer: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_SomeoneElse' },
  'other-client': { clientId: 'a-client-of-another-app' },
  'no-scope': { scopes: [] },
  // A customer whose token somehow carries the admin scope: only the group check of the handler stops it.
  'admin-scope-without-group': { scopes: ['storefront/shop', 'storefront/admin'] },
};

const minted = new Map<string, { token: Promise<string>; until: number }>();
/** Tokens live an hour; one is minted again when less than ten minutes of it are left. */
const REUSE_FOR_MS = 50 * 60 * 1000;

/** An identity's token (or one with a flaw) for the stack at `base`, minted once and reused while it is good. */
export function tokenFor(base: string, identity: Identity, flaw?: TokenFlaw): Promise<string> {
  if (flaw === 'tampered') return tokenFor(base, identity).then(tampered);
  const key = `${base} ${identity === 'admin' ? 'admin' : `customer:${identity.customer}`} ${flaw ?? ''}`;
  const kept = minted.get(key);
  if (kept && kept.until > Date.now()) return kept.token;
  const token = mintToken(base, identity, flaw ? FLAWS[flaw] : {});
  token.catch(() => minted.delete(key));
  minted.set(key, { token, until: Date.now() + REUSE_FOR_MS });
  return token;
}

/** The Authorization header of an identity's token. */
export const authorizationFor = async (base: string, identity: Identity): Promise<Record<string, string>> => ({
  authorization: `Bearer ${await tokenFor(base, identity)}`,
});

/** A token with one character of its signature changed: well formed, signed by no key. */
export function tampered(token: string): string {
  const at = token.length - 5;
  return `${token.slice(0, at)}${token[at] === 'A' ? 'B' : 'A'}${token.slice(at + 1)}`;
}

/** The claims of a token, read without checking it. */
export const claimsOf = (token: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
