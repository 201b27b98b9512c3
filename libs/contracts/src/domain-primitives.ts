/**
 * What every service's domain takes from the outside world, declared once: the time, new ids and the correlation
 * id it carries on. The domain may import only this lib and @storefront/errors, so they live here; each service's
 * wiring supplies them (`now: () => new Date()`, `newId: randomUUID`) and its tests pass fixed ones.
 */
import type { EventMetadata } from './events';

export interface Clock {
  now: () => Date;
}

export interface IdGenerator {
  newId: () => string;
}

/** What a domain function needs to stamp the events it makes: the time, a new id, and the correlation id of its cause. */
export type EventContext = Clock & IdGenerator & { correlationId: string };

/**
 * The envelope of an event `source` publishes: a new id, the time (`at`, or now), and the correlation id it carries on
 * (the request's, or that of the event it answers).
 */
export function eventMetadata(source: string, deps: Clock & IdGenerator, correlationId: string, at?: Date): EventMetadata {
  const id = deps.newId();
  return { id, at: at ?? deps.now(), source, correlationId };
}
