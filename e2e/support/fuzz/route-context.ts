import { HttpRoutes, type HttpRoute } from '@storefront/contracts';
import { accepts, type Caller, fillTemplate, isWrite, paramsOf, percentEncode, routeKey, type World } from './requests';

/** Replaced by `fuzz-case-<id>` once cases are numbered, so whatever a wrongly accepted request stored names its case. */
export const MARKER = 'FUZZMARKER';

/**
 * A body each route's contract accepts, the base every body mutation starts from.
 * A route with a body and no sample here fails the suite with a message saying so.
 */
const validBodies: Record<string, (world: World) => unknown> = {
  placeOrder: (world) => ({ customerId: MARKER, currency: 'EUR', paymentMethod: 'pm_card_visa', lines: [{ sku: world.sku, quantity: 2 }] }),
  putProduct: () => ({ name: MARKER, price: 1999, currency: 'EUR', stock: 5 }),
  adjustStock: () => ({ delta: 3, reason: MARKER }),
};

export interface RouteContext {
  name: string;
  route: HttpRoute;
  key: string;
  params: string[];
  /** Decoded values of the path parameters that the route's usual requests use. */
  known: Record<string, string>;
  world: World;
  /** The path with the known parameters, some replaced by already-encoded segments. */
  path(segments?: Record<string, string>): string;
  /** A body the contract accepts, when the route takes one. */
  validBody?: unknown;
  /** JSON text of a body the contract refuses: sent with cases whose point lies elsewhere, so that a write route never writes. */
  refusedBody?: string;
  /** Who the route's usual requests come from (none on a public route): the cases aim at validation, not at access. */
  caller?: Caller;
}

/**
 * The caller a route's usual requests come from: an admin on an admin route; on a customer route the seeded
 * customer, who owns what the world holds, or, where the body names the customer, the case itself (its marker), so
 * that the token's subject is the body's customer and whatever a wrongly accepted order stored names its case.
 */
function usualCaller(name: string, route: HttpRoute, world: World): Caller | undefined {
  if (route.access === 'public') return undefined;
  if (route.access === 'admin') return { as: 'admin' };
  return { as: { customer: name === 'placeOrder' ? MARKER : world.customerId } };
}

/** Path parameter values, by name, that name something the seeded world holds. */
export const existingParams = (world: World): Record<string, string> => ({
  sku: world.sku,
  orderId: world.orderId,
  customerId: world.customerId,
  // A day of the calendar no report is built for: reads answer 404, and the build route is a write pointed elsewhere.
  date: '2000-01-01',
});

/** Values for the path parameters: the seeded product, order and customer; nothing that exists for a write without a body. */
function knownParams(route: HttpRoute, world: World): Record<string, string> {
  const existing = existingParams(world);
  return Object.fromEntries(
    paramsOf(route.template).map((name) => {
      // A write whose only input is its path (cancel) would act on a real resource: point it at one that does not exist.
      if (isWrite(route) && !route.body) return [name, `fuzz-unknown-${name}`];
      const value = existing[name];
      if (value === undefined) throw new Error(`the fuzz world has no value for {${name}} of ${routeKey(route)}: add one to knownParams`);
      return [name, value];
    }),
  );
}

function refusedBodyFor(schema: HttpRoute['body'], sample: unknown): string {
  const [first] = Object.keys(sample as object);
  const candidates = [{ ...(sample as object), ...(first ? { [first]: null } : {}) }, []];
  const refused = candidates.find((candidate) => !accepts(schema, candidate));
  if (refused === undefined) throw new Error('no refused body could be made from the sample');
  return JSON.stringify(refused);
}

export function routeContexts(world: World): RouteContext[] {
  return Object.entries(HttpRoutes as Record<string, HttpRoute>).map(([name, route]) => {
    const known = knownParams(route, world);
    let validBody: unknown;
    if (route.body) {
      const sample = validBodies[name];
      if (!sample) throw new Error(`no valid sample body for ${routeKey(route)}: add one to validBodies in the fuzz route contexts`);
      validBody = sample(world);
      if (!accepts(route.body, validBody)) throw new Error(`the sample body of ${routeKey(route)} no longer meets its contract`);
    }
    const encodedKnown = Object.fromEntries(Object.entries(known).map(([param, value]) => [param, percentEncode(value)]));
    return {
      name,
      route,
      key: routeKey(route),
      params: paramsOf(route.template),
      known,
      world,
      path: (segments = {}) => fillTemplate(route.template, { ...encodedKnown, ...segments }),
      ...(usualCaller(name, route, world) ? { caller: usualCaller(name, route, world) } : {}),
      ...(route.body ? { validBody, refusedBody: refusedBodyFor(route.body, validBody) } : {}),
    };
  });
}
