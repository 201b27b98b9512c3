/**
 * A queue consumer's event types are declared once, beside its handler: `src/handlers/notify-customers.ts` reads
 * them from `src/handlers/notify-customers.consumes.ts`, which exports
 *   export const consumes = ['OrderPlaced', 'OrderCancelled'] as const satisfies readonly OrderEventType[];
 * The handler builds its schema from that list, and its subscription's filter is built from the same list here,
 * so the two cannot disagree. Node loads the declaration as it is (type stripping), so it imports types only.
 */
import { resolve } from 'node:path';

/** `src/handlers/notify-customers.handler` → `src/handlers/notify-customers.consumes.ts`. */
const declarationOf = (handler: string) => `${handler.slice(0, handler.lastIndexOf('.'))}.consumes.ts`;

/** The event types the function's handler declares it consumes: at least one, each once. */
export async function consumedEventTypes(serviceDir: string, handler: string): Promise<string[]> {
  const declaration = declarationOf(handler);
  let module: { consumes?: unknown };
  try {
    // A path rather than a file URL: Jest, which runs the tests of this module, requires what it imports.
    module = (await import(resolve(serviceDir, declaration))) as { consumes?: unknown };
  } catch (error) {
    throw new Error(
      `cannot load ${declaration}, where the handler declares the event types it consumes (types come in by \`import type\` only): ${(error as Error).message}`,
    );
  }
  const { consumes } = module;
  const valid =
    Array.isArray(consumes) &&
    consumes.length > 0 &&
    consumes.every((type) => typeof type === 'string' && type.length > 0) &&
    new Set(consumes).size === consumes.length;
  if (!valid) throw new Error(`${declaration} must export \`consumes\`: the event types its handler consumes, at least one, each once`);
  return consumes as string[];
}

/** The part of a function's configuration this reads. */
interface ConsumingFunction {
  handler?: string;
  events?: Record<string, unknown>[];
}

/** What each function a subscription feeds declares it consumes, by function name. */
export async function declaredConsumes(
  functions: Record<string, ConsumingFunction>,
  serviceDir: string,
): Promise<Record<string, string[]>> {
  const subscribers = Object.entries(functions).filter(
    ([, fn]) => Array.isArray(fn.events) && fn.events.some((event) => 'subscription' in event),
  );
  const declared = await Promise.all(
    subscribers.map(async ([name, fn]) => {
      if (!fn.handler) throw new Error(`${name} has a subscription but no handler to read the event types it consumes from`);
      return [name, await consumedEventTypes(serviceDir, fn.handler)] as const;
    }),
  );
  return Object.fromEntries(declared);
}
