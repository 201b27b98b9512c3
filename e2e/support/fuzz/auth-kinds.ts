import fc from 'fast-check';
import { existingParams } from './route-context';
import { fillTemplate, JSON_TYPE, percentEncode, type RawRequest } from './requests';
import { draft, type Kind } from './kind';
import type { RouteContext } from './route-context';
import type { TokenFlaw } from '../tokens';

/** A customer of no seeded order, notification or payment. */
export const INTRUDER = 'fuzz-intruder';

const protectedRoute = (context: RouteContext) => context.route.access !== 'public';

/**
 * The request the route's callers send, with the body it accepts: were the credentials not refused, a write would
 * write (and the suite would see it), so only the refusal keeps the system as it was.
 */
function wouldAct(context: RouteContext, path = context.path()): RawRequest {
  return context.validBody === undefined
    ? { method: context.route.method, path, headers: {} }
    : { method: context.route.method, path, headers: JSON_TYPE, body: JSON.stringify(context.validBody) };
}

/** Authorization headers no authorizer may accept, and no header at all: 401. */
const missingOrMalformedCredentials: Kind = {
  name: 'auth: no token, or not a token',
  count: 10,
  appliesTo: protectedRoute,
  draw: (context) =>
    fc
      .constantFrom(
        undefined,
        'Bearer',
        'Basic dXNlcjpwYXNzd29yZA==',
        'Bearer not-a-jwt',
        'Bearer a.b.c',
        // alg "none", unsigned, claiming a subject.
        'Bearer eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiJmdXp6LXNlZWQtY3VzdG9tZXIiLCJzY29wZSI6InN0b3JlZnJvbnQvc2hvcCJ9.',
        `Bearer ${'x'.repeat(4_000)}`,
        'Bearer a.b.c Bearer d.e.f',
        'Token abc',
        '{"sub":"fuzz-seed-customer"}',
      )
      .map((authorization) => {
        const request = wouldAct(context);
        const headers = authorization === undefined ? request.headers : { ...request.headers, authorization };
        return { ...draft(missingOrMalformedCredentials.name, { ...request, headers }, { statuses: [401] }), caller: 'anonymous' as const };
      }),
};

const STATUS_OF_FLAW: Record<TokenFlaw, number> = {
  tampered: 401,
  expired: 401,
  'other-issuer': 401,
  'other-client': 401,
  'no-scope': 403,
  // The token's scopes pass the authorizer; the handler's group check refuses it. An admin's own token has the group.
  'admin-scope-without-group': 403,
};

/** The usual caller's token, made wrong one way at a time: 401, or 403 when it lacks the route's scope. */
const flawedToken: Kind = {
  name: 'auth: a token the authorizer must refuse',
  count: 5,
  appliesTo: protectedRoute,
  draw: (context) =>
    fc.constantFrom<TokenFlaw>('tampered', 'expired', 'other-issuer', 'other-client', 'no-scope').map((flaw) => ({
      ...draft(flawedToken.name, wouldAct(context), { statuses: [STATUS_OF_FLAW[flaw]] }),
      caller: { as: context.caller?.as ?? 'admin', flaw },
    })),
};

/** A customer's token on a route for admins, plain or carrying the admin scope without the admins group: 403. */
const customerOnAdminRoute: Kind = {
  name: "auth: a customer's token on an admin route",
  count: 2,
  appliesTo: (context) => context.route.access === 'admin',
  draw: (context) =>
    fc.constantFrom<TokenFlaw | undefined>(undefined, 'admin-scope-without-group').map((flaw) => ({
      ...draft(customerOnAdminRoute.name, wouldAct(context), { statuses: [403] }),
      caller: { as: { customer: context.world.customerId }, ...(flaw ? { flaw } : {}) },
    })),
};

/**
 * Another customer at the seeded customer's order, payment or listings, or placing an order in the seeded customer's
 * name: an order or payment that is not the caller's is a 404 (as an unknown one, so ids cannot be probed), another
 * customer's listing or name a 403. The seeded orders are paid, so even a cancel let through could not change them.
 */
const anotherCustomersResources: Kind = {
  name: "auth: another customer's resources",
  count: 1,
  appliesTo: (context) => context.route.access === 'customer',
  draw: (context) => {
    const existing = Object.fromEntries(Object.entries(existingParams(context.world)).map(([name, value]) => [name, percentEncode(value)]));
    const path = fillTemplate(context.route.template, existing);
    const status = context.params.includes('customerId') || !context.params.length ? 403 : 404;
    const request =
      context.validBody === undefined
        ? wouldAct(context, path)
        : { ...wouldAct(context, path), body: JSON.stringify({ ...(context.validBody as object), customerId: context.world.customerId }) };
    return fc.constant({
      ...draft(anotherCustomersResources.name, request, { statuses: [status] }),
      caller: { as: { customer: INTRUDER } },
    });
  },
};

export const authKinds: Kind[] = [missingOrMalformedCredentials, flawedToken, customerOnAdminRoute, anotherCustomersResources];
