import type { StageSettings } from './settings.ts';

/** The alias every aliased function is invoked through: its routes, its provisioned concurrency and its canary. */
export const LIVE_ALIAS = 'live';

/** The part of a function's configuration the stage reads and changes, before the framework compiles it. */
export interface StageFunction {
  events?: Record<string, unknown>[];
  /** Marks a function whose callers wait on it (placing and reading orders): kept warm where the stage says so. */
  latencyCritical?: boolean;
  reservedConcurrency?: number;
  provisionedConcurrency?: number;
  versionFunction?: boolean;
  /** The framework's own hook: routes and permissions then invoke `<function>:<name>` instead of $LATEST. */
  targetAlias?: { name: string; logicalId: string };
  [setting: string]: unknown;
}

const hasEvent = (fn: StageFunction, kind: string) => (fn.events ?? []).some((event) => kind in event);

/** A function behind an HTTP API route. */
export const isHttpFunction = (fn: StageFunction): boolean => hasEvent(fn, 'httpApi');

/** A function fed by a queue or a stream (event wiring has turned subscriptions and relays into these by now). */
export const isConsumer = (fn: StageFunction): boolean => hasEvent(fn, 'sqs') || hasEvent(fn, 'stream');

/** How much provisioned concurrency the stage gives the function's alias; 0 for none. */
export const provisionedConcurrencyOf = (fn: StageFunction, settings: StageSettings): number =>
  fn.latencyCritical ? settings.concurrency.latencyCritical : 0;

/** Whether the stage invokes the function through its `live` alias: to release it by canary, or to keep it warm. */
export const needsAlias = (fn: StageFunction, settings: StageSettings): boolean =>
  (isHttpFunction(fn) && settings.canary !== undefined) || provisionedConcurrencyOf(fn, settings) > 0;

// SQS event source mappings take a maximum concurrency of at least 2.
const MIN_QUEUE_CONCURRENCY = 2;

/**
 * Prepares the functions before the framework compiles them: each consumer gets the stage's reserved concurrency
 * (unless it sets its own) and its queues a maximum concurrency no higher, so the poller is never throttled into
 * the dead-letter queue; each function the stage aliases gets a version and the `live` alias as its target, so its
 * routes and their invoke permissions name the alias. `aliasLogicalId` names the alias resource of a function.
 * Changes `functions` in place.
 */
export function prepareFunctions(
  functions: Record<string, StageFunction>,
  settings: StageSettings,
  aliasLogicalId: (functionName: string) => string,
): void {
  const reserved = settings.concurrency.consumers;
  for (const [name, fn] of Object.entries(functions)) {
    if (reserved > 0 && isConsumer(fn)) {
      fn.reservedConcurrency ??= reserved;
      if (fn.reservedConcurrency >= MIN_QUEUE_CONCURRENCY)
        fn.events = fn.events?.map((event) =>
          event.sqs ? { sqs: withMaximumConcurrency(event.sqs, fn.reservedConcurrency ?? 0) } : event,
        );
    }
    if (needsAlias(fn, settings)) {
      if (fn.provisionedConcurrency !== undefined)
        throw new Error(`${name} sets provisionedConcurrency: mark it \`latencyCritical: true\` instead, and the stage decides how much`);
      fn.versionFunction = true;
      fn.targetAlias = { name: LIVE_ALIAS, logicalId: aliasLogicalId(name) };
    }
  }
}

function withMaximumConcurrency(sqs: unknown, reserved: number): unknown {
  const event = typeof sqs === 'string' ? { arn: sqs } : (sqs as Record<string, unknown>);
  return { ...event, maximumConcurrency: Math.min(Number(event.maximumConcurrency ?? reserved), reserved) };
}
