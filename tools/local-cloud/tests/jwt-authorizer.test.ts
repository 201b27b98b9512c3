import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLocalJWKSet, exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { parse } from 'yaml';
import { workspaceRoot } from '#packaging';
import { createIdentityProvider, type IdentityProvider, LOCAL_GROUPS, LOCAL_SCOPES } from '../src/emulators/identity/identity-provider.ts';
import {
  authorize,
  authorizerContext,
  type RouteAuthorization,
  tokenOf,
  type Verdict,
  wwwAuthenticate,
} from '../src/gateway/jwt-authorizer.ts';

const ISSUER = 'https://cognito-idp.us-east-1.amazonaws.com/storefront-platform-local-UserPool';
const CLIENT = 'storefront-platform-local-BrowserClient';
const authorizer = { id: 'storefront-platform-local-HttpApiAuthorizer', issuer: ISSUER, audience: [CLIENT], header: 'authorization' };
const customerRoute: RouteAuthorization = { authorizer, scopes: [LOCAL_SCOPES.shop] };
const adminRoute: RouteAuthorization = { authorizer, scopes: [LOCAL_SCOPES.admin] };

let identity: IdentityProvider;
/** Signs any claims with a key of the test's own, published in `ownKeys` under the kid "own" (null: no kid). */
let signOwn: (claims: JWTPayload, header?: { kid?: string | null }) => Promise<string>;
let ownKeys: Parameters<typeof authorize>[2];

beforeAll(async () => {
  identity = await createIdentityProvider({ issuer: ISSUER, clientId: CLIENT });
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  ownKeys = createLocalJWKSet({ keys: [{ ...(await exportJWK(publicKey)), kid: 'own', alg: 'RS256' }] });
  signOwn = (claims, { kid = 'own' } = {}) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'RS256', ...(kid === null ? {} : { kid }) }).sign(privateKey);
});

const now = () => Math.floor(Date.now() / 1000);
const validClaims = (): JWTPayload => ({
  sub: 'c-1',
  iss: ISSUER,
  client_id: CLIENT,
  scope: LOCAL_SCOPES.shop,
  exp: now() + 300,
  iat: now(),
});
const customerToken = async (overrides = {}) => (await identity.issue({ customer: 'c-1', ...overrides })).token;
const refusal = (verdict: Verdict) => (verdict.allowed ? { allowed: true } : { status: verdict.status, description: verdict.description });

describe('the local identity provider', () => {
  it('issues Cognito-shaped access tokens: subject, groups, space-separated scopes, client id, no audience', async () => {
    const { claims, expiresIn } = await identity.issue({ customer: 'c-1' });

    expect(claims).toMatchObject({
      sub: 'c-1',
      username: 'c-1',
      'cognito:groups': [LOCAL_GROUPS.customers],
      scope: LOCAL_SCOPES.shop,
      client_id: CLIENT,
      iss: ISSUER,
      token_use: 'access',
      jti: expect.any(String),
    });
    expect(claims).not.toHaveProperty('aud');
    expect(claims.exp).toBe((claims.iat as number) + 3600);
    expect(expiresIn).toBe(3600);
  });

  it('gives an admin the admins group and both scopes', async () => {
    const { claims } = await identity.issue({ admin: true });

    expect(claims).toMatchObject({ 'cognito:groups': [LOCAL_GROUPS.admins], scope: `${LOCAL_SCOPES.shop} ${LOCAL_SCOPES.admin}` });
  });

  it("names the groups and scopes of the platform's user pool (whose template test holds them to the route contracts)", () => {
    type Resource = { Type: string; Properties: Record<string, unknown> };
    const platform = parse(readFileSync(join(workspaceRoot, 'apps/platform/serverless.yml'), 'utf8'), { logLevel: 'silent' });
    const resources = Object.values(platform.resources.Resources as Record<string, Resource>);
    const groups = resources.filter((r) => r.Type === 'AWS::Cognito::UserPoolGroup').map((r) => r.Properties.GroupName);
    const scopes = resources
      .filter((r) => r.Type === 'AWS::Cognito::UserPoolResourceServer')
      .flatMap((r) => (r.Properties.Scopes as { ScopeName: string }[]).map(({ ScopeName }) => `${r.Properties.Identifier}/${ScopeName}`));

    expect(groups.sort()).toEqual(Object.values(LOCAL_GROUPS).sort());
    expect(scopes.sort()).toEqual(Object.values(LOCAL_SCOPES).sort());
  });
});

describe('a JWT authorizer, as API Gateway runs it', () => {
  it('lets a valid token through with or without "Bearer ", handing every claim on as a string', async () => {
    const token = await customerToken();

    const bare = await authorize(token, customerRoute, identity.keys);
    const bearer = await authorize(`Bearer ${token}`, customerRoute, identity.keys);

    expect(bearer).toEqual(bare);
    expect(bare).toMatchObject({
      allowed: true,
      claims: {
        sub: 'c-1',
        'cognito:groups': '[customers]',
        scope: LOCAL_SCOPES.shop,
        token_use: 'access',
        exp: expect.stringMatching(/^\d+$/),
      },
      scopes: [LOCAL_SCOPES.shop],
    });
  });

  it('refuses a request without a token, or with only the word Bearer (401)', async () => {
    for (const header of [undefined, '', '   ', 'Bearer', 'Bearer  ']) {
      expect([header, refusal(await authorize(header, customerRoute, identity.keys))]).toEqual([
        header,
        { status: 401, description: 'the request has no token' },
      ]);
    }
  });

  it('refuses a header that holds no JWT (401)', async () => {
    for (const header of ['Basic dXNlcjpwYXNz', 'Bearer not-a-jwt', 'a.b.c', 'Bearer a.b.c Bearer d.e.f']) {
      expect(refusal(await authorize(header, customerRoute, identity.keys))).toEqual({
        status: 401,
        description: 'the token is malformed',
      });
    }
  });

  it('refuses an expired token (401)', async () => {
    const verdict = await authorize(await customerToken({ expiresInSeconds: -1 }), customerRoute, identity.keys);

    expect(refusal(verdict)).toEqual({ status: 401, description: 'the token has expired' });
  });

  it('refuses a tampered token: one character of its signature or of its claims changed (401)', async () => {
    const token = await customerToken();
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const otherClaims = Buffer.from(JSON.stringify({ ...validClaims(), sub: 'someone-else' })).toString('base64url');
    const flipped = `${signature.slice(0, 10)}${signature[10] === 'A' ? 'B' : 'A'}${signature.slice(11)}`;

    for (const forged of [`${header}.${payload}.${flipped}`, `${header}.${otherClaims}.${signature}`])
      expect(refusal(await authorize(forged, customerRoute, identity.keys))).toEqual({
        status: 401,
        description: 'the token signature is invalid',
      });
  });

  it('refuses a token signed by a key the issuer does not publish (401)', async () => {
    const verdict = await authorize(await signOwn(validClaims()), customerRoute, identity.keys);

    expect(refusal(verdict)).toEqual({ status: 401, description: 'no key of the issuer matches the token' });
  });

  it('refuses a token of another issuer (401)', async () => {
    const verdict = await authorize(await customerToken({ issuer: 'https://issuer.example' }), customerRoute, identity.keys);

    expect(refusal(verdict)).toEqual({ status: 401, description: 'the token does not have a valid issuer' });
  });

  it('refuses a token for another client id (401)', async () => {
    const verdict = await authorize(await customerToken({ clientId: 'another-app' }), customerRoute, identity.keys);

    expect(refusal(verdict)).toEqual({ status: 401, description: 'the token does not have a valid audience' });
  });

  it('checks aud instead of client_id when the token has one', async () => {
    const audienceRight = await signOwn({ ...validClaims(), aud: CLIENT, client_id: 'another-app' });
    const audienceWrong = await signOwn({ ...validClaims(), aud: ['another-app'], client_id: CLIENT });

    expect((await authorize(audienceRight, customerRoute, ownKeys)).allowed).toBe(true);
    expect(refusal(await authorize(audienceWrong, customerRoute, ownKeys))).toEqual({
      status: 401,
      description: 'the token does not have a valid audience',
    });
  });

  it('refuses a token without an expiry, not valid yet, issued in the future, or naming no key (401)', async () => {
    const { exp: _, ...noExpiry } = validClaims();
    const cases = {
      'no exp': await signOwn(noExpiry),
      'nbf ahead': await signOwn({ ...validClaims(), nbf: now() + 300 }),
      'iat ahead': await signOwn({ ...validClaims(), iat: now() + 300 }),
      'no kid': await signOwn(validClaims(), { kid: null }),
    };

    const verdicts = Object.fromEntries(
      await Promise.all(
        Object.entries(cases).map(async ([name, token]) => [name, refusal(await authorize(token, customerRoute, ownKeys))]),
      ),
    );

    expect(verdicts).toEqual({
      'no exp': { status: 401, description: 'the token has no exp claim' },
      'nbf ahead': { status: 401, description: 'the token is not valid yet' },
      'iat ahead': { status: 401, description: 'the token was issued in the future' },
      'no kid': { status: 401, description: 'the token names no key (kid)' },
    });
  });

  it('refuses an unsigned token (alg none) and one signed with a shared secret (401)', async () => {
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const unsigned = `${encode({ alg: 'none', kid: 'own' })}.${encode(validClaims())}.`;
    const hmac = await new SignJWT(validClaims()).setProtectedHeader({ alg: 'HS256', kid: 'own' }).sign(new Uint8Array(32).fill(7));

    for (const token of [unsigned, hmac]) expect((await authorize(token, customerRoute, ownKeys)).allowed).toBe(false);
  });

  it('refuses a valid token without one of the route scopes (403, insufficient_scope)', async () => {
    const verdict = await authorize(await customerToken(), adminRoute, identity.keys);

    expect(verdict).toEqual({
      allowed: false,
      status: 403,
      error: 'insufficient_scope',
      description: 'expected scopes: [storefront/admin]',
      scopes: [LOCAL_SCOPES.admin],
    });
    expect(wwwAuthenticate(verdict as Extract<Verdict, { allowed: false }>)).toBe(
      'Bearer scope="storefront/admin" error="insufficient_scope" error_description="expected scopes: [storefront/admin]"',
    );
  });

  it('lets any valid token through a route that names no scope, with no scopes handed on', async () => {
    const verdict = await authorize(await customerToken({ scopes: [] }), { authorizer, scopes: [] }, identity.keys);

    expect(verdict).toMatchObject({ allowed: true, scopes: null });
  });

  it("writes a 401's www-authenticate header as API Gateway does", async () => {
    const verdict = await authorize(await customerToken({ clientId: 'another-app' }), customerRoute, identity.keys);

    expect(wwwAuthenticate(verdict as Extract<Verdict, { allowed: false }>)).toBe(
      'Bearer scope="" error="invalid_token" error_description="the token does not have a valid audience"',
    );
  });

  it('hands a function the verified claims, and nothing on a public route', async () => {
    const verdict = await authorize(await customerToken(), customerRoute, identity.keys);

    expect(authorizerContext(verdict as Extract<Verdict, { allowed: true }>)).toMatchObject({
      jwt: { claims: { sub: 'c-1' }, scopes: [LOCAL_SCOPES.shop] },
    });
    expect(authorizerContext(undefined)).toEqual({});
  });

  it('reads the token after "Bearer " in any case, or the whole value', () => {
    expect(tokenOf('bearer abc')).toBe('abc');
    expect(tokenOf(' BEARER  abc ')).toBe('abc');
    expect(tokenOf('abc')).toBe('abc');
    expect(tokenOf(['Bearer abc', 'Bearer def'])).toBe('abc');
  });
});
