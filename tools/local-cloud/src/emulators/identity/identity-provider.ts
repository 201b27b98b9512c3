/**
 * The local stand-in for the Cognito user pool: an RS256 key made at boot, its public half as a JWKS, and access
 * tokens shaped as Cognito issues them (`sub`, `cognito:groups`, `scope`, `client_id`, `token_use: access`, no `aud`)
 * for the issuer and client the platform template's JWT authorizer names. There are no users and no passwords: a
 * local-only route mints a token for whoever asks, which is what makes it local-only.
 */
import { randomUUID } from 'node:crypto';
import { createLocalJWKSet, exportJWK, generateKeyPair, type JSONWebKeySet, type JWTVerifyGetKey, SignJWT } from 'jose';

/**
 * The groups and scopes the platform template declares (UserPoolGroup, the resource server's scopes) and
 * libs/contracts/src/access.ts names; a test holds them together.
 */
export const LOCAL_GROUPS = { customers: 'customers', admins: 'admins' } as const;
export const LOCAL_SCOPES = { shop: 'storefront/shop', admin: 'storefront/admin' } as const;

/** The subject of every admin token: no customer id the tests or the demo use. */
export const LOCAL_ADMIN_SUBJECT = 'local-admin';

/** Who a token is for, and what a test may change about it (an expired, foreign or scope-less token). */
export interface TokenRequest {
  customer?: string;
  admin?: boolean;
  /** Seconds from now until it expires; negative for a token that has already expired. */
  expiresInSeconds?: number;
  scopes?: string[];
  groups?: string[];
  issuer?: string;
  clientId?: string;
}

export interface IssuedToken {
  token: string;
  expiresIn: number;
  claims: Record<string, unknown>;
}

export interface IdentityProvider {
  issuer: string;
  clientId: string;
  /** The public keys, as the pool's `/.well-known/jwks.json` serves them. */
  jwks: JSONWebKeySet;
  /** What verification looks keys up in (the JWKS above, by `kid`). */
  keys: JWTVerifyGetKey;
  issue(request: TokenRequest): Promise<IssuedToken>;
}

export interface IdentityProviderOptions {
  issuer: string;
  clientId: string;
  /** How long an access token lives (the client's AccessTokenValidity); Cognito's default is an hour. */
  lifetimeSeconds?: number;
}

/** Why a token request cannot be served, in one sentence for a 400. */
export function tokenRequestProblem(request: unknown): string | undefined {
  if (!request || typeof request !== 'object' || Array.isArray(request)) return 'the body must be a JSON object';
  const { customer, admin, expiresInSeconds, scopes, groups, issuer, clientId } = request as Record<string, unknown>;
  if ((customer === undefined) === (admin !== true)) return 'give either {"customer": "<id>"} or {"admin": true}';
  if (customer !== undefined && (typeof customer !== 'string' || customer.length < 1 || customer.length > 128))
    return 'customer must be an id of 1 to 128 characters';
  if (expiresInSeconds !== undefined && !Number.isInteger(expiresInSeconds)) return 'expiresInSeconds must be a whole number';
  for (const [name, list] of Object.entries({ scopes, groups }))
    if (list !== undefined && !(Array.isArray(list) && list.every((item) => typeof item === 'string')))
      return `${name} must be a list of strings`;
  for (const [name, text] of Object.entries({ issuer, clientId }))
    if (text !== undefined && typeof text !== 'string') return `${name} must be a string`;
  return undefined;
}

export async function createIdentityProvider({
  issuer,
  clientId,
  lifetimeSeconds = 3600,
}: IdentityProviderOptions): Promise<IdentityProvider> {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const kid = randomUUID();
  const jwks: JSONWebKeySet = { keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' }] };

  async function issue(request: TokenRequest): Promise<IssuedToken> {
    const admin = request.admin === true;
    const subject = admin ? LOCAL_ADMIN_SUBJECT : (request.customer as string);
    const now = Math.floor(Date.now() / 1000);
    const expiresIn = request.expiresInSeconds ?? lifetimeSeconds;
    const claims = {
      sub: subject,
      'cognito:groups': request.groups ?? [admin ? LOCAL_GROUPS.admins : LOCAL_GROUPS.customers],
      iss: request.issuer ?? issuer,
      client_id: request.clientId ?? clientId,
      origin_jti: randomUUID(),
      event_id: randomUUID(),
      token_use: 'access',
      scope: (request.scopes ?? (admin ? [LOCAL_SCOPES.shop, LOCAL_SCOPES.admin] : [LOCAL_SCOPES.shop])).join(' '),
      auth_time: now,
      exp: now + expiresIn,
      iat: now,
      jti: randomUUID(),
      username: subject,
    };
    const token = await new SignJWT(claims).setProtectedHeader({ kid, alg: 'RS256' }).sign(privateKey);
    return { token, expiresIn, claims };
  }

  return { issuer, clientId, jwks, keys: createLocalJWKSet(jwks), issue };
}
