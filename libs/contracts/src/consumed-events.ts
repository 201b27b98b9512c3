import { discriminatedUnion } from 'zod/mini';
import { type DomainEventType, type EventOf, InventoryEvent, OrderEvent, PaymentEvent, ReportEvent } from './events';
import type { Schema } from './zod';

/** The events of a consumer's declared types: `Consumed<typeof consumes>`. */
export type Consumed<Types extends readonly DomainEventType[]> = EventOf<Types[number]>;

/**
 * The schema of exactly the events a consumer declares it consumes (its `consumes`, beside its handler, which its
 * subscription's filter is built from too), in every version the contracts know. Any other type breaks the
 * consumer's contract like a message it cannot read: the filter never delivers one, so one that arrives means the
 * filter and the handler disagree, and it belongs in the dead-letter queue rather than acknowledged unnoticed.
 */
export function eventsOf<Types extends readonly [DomainEventType, ...DomainEventType[]]>(types: Types): Schema<Consumed<Types>> {
  const consumed: readonly string[] = types;
  // Every event schema of every topic, each version included. Gathered here, not at load, so that a bundle that never
  // calls this (an HTTP function's) leaves it all out.
  const schemas = [...OrderEvent.def.options, ...InventoryEvent.def.options, ...PaymentEvent.def.options, ...ReportEvent.def.options];
  const [first, ...rest] = schemas.filter((schema) => schema.shape.type.def.values.some((type) => consumed.includes(type)));
  if (!first) throw new Error(`no contract describes ${types.join(', ')}`);
  return discriminatedUnion('type', [first, ...rest]) as unknown as Schema<Consumed<Types>>;
}
