/**
 * Asking the running local stack for a bearer token, for the tools that call its API (`npm run token`, the demo,
 * the benchmarks): the gateway's local-only `POST /_local/tokens` signs one as the user pool would.
 */

/** Whose token: a customer's (its subject is the customer id) or an admin's. */
export type Identity = { customer: string } | 'admin';

/** No local stack answered at the URL, or it does not mint tokens. */
export class NoTokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NoTokenError';
  }
}

export async function fetchToken(base: string, identity: Identity): Promise<string> {
  let response: Response;
  try {
    response = await fetch(`${base}/_local/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(identity === 'admin' ? { admin: true } : identity),
    });
  } catch {
    throw new NoTokenError(`No local stack answers at ${base}. Start it with \`npm start\` (or pass --url).`);
  }
  const text = await response.text();
  const token = response.status === 200 ? (JSON.parse(text) as { access_token?: unknown }).access_token : undefined;
  if (typeof token !== 'string')
    throw new NoTokenError(`${base} did not mint a token (POST /_local/tokens answered ${response.status}): is it the local stack?`);
  return token;
}

/** The Authorization header of a token. */
export const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });

/** Tokens by identity, asked for once each. */
export function tokenCache(base: string): (identity: Identity) => Promise<string> {
  const tokens = new Map<string, Promise<string>>();
  return (identity) => {
    const key = identity === 'admin' ? 'admin' : `customer:${identity.customer}`;
    const token = tokens.get(key) ?? fetchToken(base, identity);
    tokens.set(key, token);
    return token;
  };
}

export type ApiCall = (path: string, init?: RequestInit & { as?: Identity | undefined }) => Promise<Response>;

/** `fetch` against the local API, as `as` (its bearer token added) or anonymously; JSON unless told otherwise. */
export function apiClient(base: string): ApiCall {
  const tokenFor = tokenCache(base);
  return async (path, { as, headers, ...init } = {}) =>
    fetch(`${base}${path}`, {
      ...init,
      headers: { 'content-type': 'application/json', ...(as ? bearer(await tokenFor(as)) : {}), ...(headers as Record<string, string>) },
    });
}
