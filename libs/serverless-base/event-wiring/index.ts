/**
 * A Serverless plugin every service loads from the base config: the event
 * wiring every service repeats is declared on the function it feeds, as a
 * function event, and built here into the same resources, event and IAM in
 * every service (see subscription.ts and outbox-relay.ts). The built
 * events replace the declarations when the command starts, so packaging,
 * the per-function roles and serverless-offline all see ordinary sqs and
 * stream events; the dead-letter alarms plugin then alarms on the queues.
 * A subscription filters on what its handler declares it consumes (consumes.ts).
 * Node runs it as it is (type stripping): only erasable syntax, `.ts` in relative imports.
 */
import { declaredConsumes } from './consumes.ts';
import { buildOutboxRelay, outboxRelaySchema } from './outbox-relay.ts';
import type { BuildContext, Built } from './queues.ts';
import { buildSubscription, subscriptionSchema } from './subscription.ts';

const builders = {
  subscription: { build: buildSubscription, schema: subscriptionSchema },
  outboxRelay: { build: buildOutboxRelay, schema: outboxRelaySchema },
} satisfies Record<string, { build: (declaration: never, context: BuildContext) => Built; schema: object }>;
type Kind = keyof typeof builders;

// What a function runs for when neither it nor the provider sets a timeout.
const FRAMEWORK_DEFAULT_TIMEOUT = 6;

/** The part of a function's configuration the builders read and change. */
export interface WiredFunction {
  handler?: string;
  timeout?: number;
  events?: Record<string, unknown>[];
  iamRoleStatements?: unknown[];
  [setting: string]: unknown;
}

/** The part of a service's configuration the builders read and change. */
export interface WiredService {
  provider?: { timeout?: number };
  functions?: Record<string, WiredFunction>;
  resources?: { Resources?: Record<string, unknown> };
}

/**
 * Replaces every builder event in the service's functions by what it builds:
 * the event itself, the resources (added to the service's own, never over one)
 * and the function's IAM statements. `consumes` holds what each function a
 * subscription feeds declares it consumes. Changes `service` in place.
 */
export function wireService<S extends WiredService>(
  service: S,
  { namePrefix, consumes = {} }: { namePrefix: string; consumes?: Record<string, readonly string[]> },
): S {
  const resources = (service.resources ??= {});
  const declared = (resources.Resources ??= {});
  const declaredBy = new Map<string, string>();
  for (const [functionName, fn] of Object.entries(service.functions ?? {})) {
    if (!Array.isArray(fn.events)) continue;
    fn.events = fn.events.map((event) => {
      const kind = Object.keys(event).find((key): key is Kind => key in builders);
      if (!kind) return event;
      const functionTimeout = fn.timeout ?? service.provider?.timeout ?? FRAMEWORK_DEFAULT_TIMEOUT;
      // The framework checked the declaration against the builder's schema before `initialize`.
      const built = builders[kind].build(event[kind] as never, { namePrefix, functionTimeout, consumes: consumes[functionName] });
      for (const [logicalId, resource] of Object.entries(built.resources)) {
        if (logicalId in declared) {
          const owner = declaredBy.get(logicalId) ?? "the service's resources";
          throw new Error(`${functionName}'s ${kind} builds ${logicalId}, already declared by ${owner}`);
        }
        declared[logicalId] = resource;
        declaredBy.set(logicalId, `${functionName}'s ${kind}`);
      }
      if (built.iamRoleStatements.length) fn.iamRoleStatements = [...(fn.iamRoleStatements ?? []), ...built.iamRoleStatements];
      return built.event;
    });
  }
  return service;
}

/** What of the framework's plugin API this plugin uses. */
interface Serverless {
  service: WiredService & { service: string };
  serviceDir: string;
  configSchemaHandler: { defineFunctionEvent: (provider: string, event: string, schema: Record<string, unknown>) => void };
  getProvider: (name: 'aws') => { getStage: () => string };
  classes: { Error: new (message: string) => Error };
}

// osls takes a plugin module's default export.
export default class EventWiring {
  readonly serverless: Serverless;
  readonly hooks: Record<string, () => Promise<void>>;

  constructor(serverless: Serverless) {
    this.serverless = serverless;
    for (const [kind, { schema }] of Object.entries(builders)) serverless.configSchemaHandler.defineFunctionEvent('aws', kind, schema);
    // `initialize` runs (awaited) for every command, after the configuration is resolved and validated, before any compile step.
    this.hooks = { initialize: () => this.wire() };
  }

  async wire(): Promise<void> {
    const { service, serviceDir } = this.serverless;
    const namePrefix = `${service.service}-${this.serverless.getProvider('aws').getStage()}`;
    try {
      const consumes = await declaredConsumes(service.functions ?? {}, serviceDir);
      wireService(service, { namePrefix, consumes });
    } catch (error) {
      throw new this.serverless.classes.Error((error as Error).message);
    }
  }
}
