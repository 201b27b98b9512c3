import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { bodyKinds } from './body-kinds';
import { headerKinds } from './header-kinds';
import type { Kind } from './kind';
import { methodKinds } from './method-kinds';
import { pathKinds } from './path-kinds';
import { queryKinds } from './query-kinds';
import { seedFor, type Draft, type FuzzCase, type RawRequest, type World } from './requests';
import { MARKER, routeContexts, type RouteContext } from './route-context';

/** Change it to explore other cases; keep it fixed so a failure can be replayed. */
export const FUZZ_SEED = 20_260_611;

export const kinds: Kind[] = [...bodyKinds, ...pathKinds, ...queryKinds, ...headerKinds, ...methodKinds];

const signature = ({ method, path, headers, body }: RawRequest) =>
  createHash('sha1')
    .update(JSON.stringify([method, path, headers]))
    .update(body ?? '')
    .digest('hex');

/** Up to `kind.count` distinct cases of a kind for a route, always the same ones for the same seed. */
function draw(context: RouteContext, kind: Kind, seed: number): Draft[] {
  const drawn = fc.sample(kind.draw(context), { seed: seedFor(seed, context.key, kind.name), numRuns: kind.draws ?? kind.count * 4 });
  const unique = new Map<string, Draft>();
  for (const candidate of drawn) {
    if (candidate && unique.size < kind.count) unique.set(signature(candidate.request), candidate);
  }
  return [...unique.values()];
}

/**
 * Every route's cases, numbered, marked and correlated; interleaved so that consecutive cases go
 * to different routes and kinds, and no function gets all ten requests in flight at once.
 */
export function fuzzCases(world: World, seed = FUZZ_SEED): FuzzCase[] {
  const contexts = routeContexts(world);
  const groups = kinds.flatMap((kind) =>
    contexts.filter((context) => kind.appliesTo(context)).map((context) => ({ route: context.key, drafts: draw(context, kind, seed) })),
  );
  const cases: FuzzCase[] = [];
  for (let round = 0; groups.some((group) => group.drafts.length > round); round++) {
    for (const { route, drafts } of groups) {
      const next = drafts[round];
      if (!next) continue;
      const id = cases.length + 1;
      const marker = `fuzz-case-${id}`;
      const { request } = next;
      cases.push({
        ...next,
        id,
        route,
        request: {
          ...request,
          headers: { 'x-correlation-id': marker, ...request.headers },
          ...(typeof request.body === 'string' ? { body: request.body.replaceAll(MARKER, marker) } : {}),
        },
      });
    }
  }
  return cases;
}
