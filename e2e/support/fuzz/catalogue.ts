import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { bodyKinds } from './body-kinds';
import { authKinds } from './auth-kinds';
import { headerKinds } from './header-kinds';
import type { Kind } from './kind';
import { methodKinds } from './method-kinds';
import { pathKinds } from './path-kinds';
import { queryKinds } from './query-kinds';
import { seedFor, type Caller, type Draft, type FuzzCase, type RawRequest, type World } from './requests';
import { MARKER, routeContexts, type RouteContext } from './route-context';

/** Change it to explore other cases; keep it fixed so a failure can be replayed. */
export const FUZZ_SEED = 20_260_611;

export const kinds: Kind[] = [...bodyKinds, ...pathKinds, ...queryKinds, ...headerKinds, ...methodKinds, ...authKinds];

const signature = ({ method, path, headers, repeated, body }: RawRequest, caller: Draft['caller']) =>
  createHash('sha1')
    .update(JSON.stringify([method, path, headers, repeated, caller]))
    .update(body ?? '')
    .digest('hex');

/** Up to `kind.count` distinct cases of a kind for a route, always the same ones for the same seed. */
function draw(context: RouteContext, kind: Kind, seed: number): Draft[] {
  const drawn = fc.sample(kind.draw(context), { seed: seedFor(seed, context.key, kind.name), numRuns: kind.draws ?? kind.count * 4 });
  const unique = new Map<string, Draft>();
  for (const candidate of drawn) {
    if (candidate && unique.size < kind.count) unique.set(signature(candidate.request, candidate.caller), candidate);
  }
  return [...unique.values()];
}

/** A caller whose customer id is the marker becomes the case's own customer. */
const markedCaller = (caller: Caller | undefined, marker: string): Caller | undefined =>
  caller && caller.as !== 'admin' && caller.as.customer === MARKER ? { ...caller, as: { customer: marker } } : caller;

/**
 * Every route's cases, numbered, marked and correlated, in an order shuffled by the seed: each
 * function gets its share of the requests in flight, and the big bodies are spread out.
 */
export function fuzzCases(world: World, seed = FUZZ_SEED): FuzzCase[] {
  const drafts = routeContexts(world).flatMap((context) =>
    kinds
      .filter((kind) => kind.appliesTo(context))
      .flatMap((kind) =>
        draw(context, kind, seed).map(({ caller = context.caller, ...draft }) => ({
          ...draft,
          route: context.key,
          caller: caller === 'anonymous' ? undefined : caller,
        })),
      ),
  );
  const [shuffled = drafts] = fc.sample(fc.shuffledSubarray(drafts, { minLength: drafts.length }), { seed, numRuns: 1 });
  return shuffled.map((draft, index) => {
    const id = index + 1;
    const marker = `fuzz-case-${id}`;
    const { request, caller } = draft;
    return {
      ...draft,
      id,
      caller: markedCaller(caller, marker),
      request: {
        ...request,
        headers: { 'x-correlation-id': marker, ...request.headers },
        ...(typeof request.body === 'string' ? { body: request.body.replaceAll(MARKER, marker) } : {}),
      },
    };
  });
}
