import fc from 'fast-check';
import { JSON_TYPE, isWrite, type Draft, type Expectation, type RawRequest } from './requests';
import type { RouteContext } from './route-context';

/** One family of bad requests: which routes it applies to, how many to draw, and how to draw one (undefined: discard). */
export interface Kind {
  name: string;
  count: number;
  /** How many to draw before keeping `count` distinct ones (default 4 × count); less where each draw builds megabytes. */
  draws?: number;
  appliesTo(context: RouteContext): boolean;
  draw(context: RouteContext): fc.Arbitrary<Draft | undefined>;
}

export const hasBody = (context: RouteContext) => context.validBody !== undefined;
export const always = () => true;

/** The route's method and `path`, with whatever body keeps a write route from writing: the point of the case lies elsewhere. */
export function elsewhere(context: RouteContext, path: string, headers: Record<string, string> = {}): RawRequest {
  if (context.refusedBody !== undefined)
    return { method: context.route.method, path, headers: { ...JSON_TYPE, ...headers }, body: context.refusedBody };
  return { method: context.route.method, path, headers };
}

/** Writes must be refused; reads may answer anything below 500. */
export const refusedIfWrite = (context: RouteContext): Expectation => (isWrite(context.route) ? { refused: true } : undefined);

export const draft = (kind: string, request: RawRequest, expect: Expectation): Draft => ({ kind, request, expect });

/** Text a contract rarely expects: any code points, any graphemes, and the given specimens. */
export const oddText = (...specimens: string[]) =>
  fc.oneof(
    fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 10 }),
    fc.constantFrom(...specimens),
  );
