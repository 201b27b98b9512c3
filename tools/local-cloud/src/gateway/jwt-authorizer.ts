/**
 * An HTTP API JWT authorizer as API Gateway runs it
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html): the token from the
 * identity source (with or without `Bearer `), an RSA signature by a key of the issuer's JWKS named by the token's
 * `kid`, the issuer, `aud` (or `client_id` when there is no `aud`) among the audience, `exp` in the future, `nbf` and
 * `iat` not; then one of the route's scopes. A bad token is a 401 and a missing scope a 403, each with the
 * `www-authenticate` header AWS sends. What passes reaches the function as AWS hands it over: every claim as a string.
 */
import { errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';

/** An `AWS::ApiGatewayV2::Authorizer` of type JWT, resolved. */
export interface JwtAuthorizer {
  /** What routes name it by: its Ref (`AuthorizerId`). */
  id: string;
  issuer: string;
  audience: string[];
  /** The request header the token comes in (from `$request.header.Authorization`), lower-case. */
  header: string;
}

/** What a route asks of a caller: `AuthorizationType: JWT`, its authorizer and `AuthorizationScopes`. */
export interface RouteAuthorization {
  authorizer: JwtAuthorizer;
  scopes: string[];
}

export type Verdict =
  | { allowed: true; claims: Record<string, string>; scopes: string[] | null }
  | { allowed: false; status: 401 | 403; error: 'invalid_token' | 'insufficient_scope'; description: string; scopes: string[] };

/** API Gateway verifies RSA signatures only. */
const ALGORITHMS = ['RS256', 'RS384', 'RS512'];

const refused = (description: string): Verdict => ({ allowed: false, status: 401, error: 'invalid_token', description, scopes: [] });

/** The token of an identity source value: the whole value, or what follows `Bearer `. */
export function tokenOf(value: string | string[] | undefined): string | undefined {
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!text) return undefined;
  return /^bearer(\s|$)/i.test(text) ? text.slice('bearer'.length).trim() || undefined : text;
}

/** What went wrong, in the words API Gateway's `error_description` uses where it documents them. */
function describeFailure(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'the token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.reason === 'missing') return `the token has no ${error.claim} claim`;
    if (error.claim === 'iss') return 'the token does not have a valid issuer';
    if (error.claim === 'nbf') return 'the token is not valid yet';
    return `the token's ${error.claim} claim is invalid`;
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'the token signature is invalid';
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys)
    return 'no key of the issuer matches the token';
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported)
    return "the token's algorithm is not supported";
  return 'the token is malformed';
}

/** The scopes a token carries: Cognito's space-separated `scope`, or `scp` as a list. */
function scopesOf(payload: JWTPayload): string[] {
  const { scope, scp } = payload as { scope?: unknown; scp?: unknown };
  if (typeof scope === 'string') return scope.split(' ').filter(Boolean);
  if (Array.isArray(scp)) return scp.map(String);
  return typeof scp === 'string' ? scp.split(' ').filter(Boolean) : [];
}

/** A claim as API Gateway hands it to the function: a string; a list as `[a b]`. */
function claimText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return `[${value.map(claimText).join(' ')}]`;
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export async function authorize(
  identity: string | string[] | undefined,
  { authorizer, scopes }: RouteAuthorization,
  keys: JWTVerifyGetKey,
  now: Date = new Date(),
): Promise<Verdict> {
  const token = tokenOf(identity);
  if (!token) return refused('the request has no token');
  let payload: JWTPayload;
  try {
    const verified = await jwtVerify(token, keys, {
      algorithms: ALGORITHMS,
      issuer: authorizer.issuer,
      requiredClaims: ['exp'],
      currentDate: now,
    });
    if (!verified.protectedHeader.kid) return refused('the token names no key (kid)');
    payload = verified.payload;
  } catch (error) {
    return refused(describeFailure(error));
  }
  // `aud` when the token has one, otherwise `client_id` (Cognito's access tokens have no `aud`).
  const audiences = payload.aud === undefined ? [(payload as { client_id?: unknown }).client_id] : [payload.aud].flat();
  if (!audiences.some((audience) => typeof audience === 'string' && authorizer.audience.includes(audience)))
    return refused('the token does not have a valid audience');
  if (typeof payload.iat === 'number' && payload.iat > Math.floor(now.getTime() / 1000))
    return refused('the token was issued in the future');
  const carried = scopesOf(payload);
  if (scopes.length && !scopes.some((scope) => carried.includes(scope)))
    return { allowed: false, status: 403, error: 'insufficient_scope', description: `expected scopes: [${scopes.join(' ')}]`, scopes };
  return {
    allowed: true,
    claims: Object.fromEntries(Object.entries(payload).map(([name, value]) => [name, claimText(value)])),
    scopes: scopes.length ? carried : null,
  };
}

/** The `www-authenticate` header of a refusal, as API Gateway writes it. */
export const wwwAuthenticate = (verdict: Extract<Verdict, { allowed: false }>): string =>
  `Bearer scope="${verdict.scopes.join(' ')}" error="${verdict.error}" error_description="${verdict.description}"`;

/** `requestContext.authorizer` of the function's event: the verified claims, or nothing on a public route. */
export const authorizerContext = (verdict: Extract<Verdict, { allowed: true }> | undefined): object =>
  verdict ? { jwt: { claims: verdict.claims, scopes: verdict.scopes } } : {};
