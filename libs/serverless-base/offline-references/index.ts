/**
 * A Serverless plugin every service loads from the base config. A function's environment may hold what only
 * CloudFormation can resolve (`CHECKOUT_STATE_MACHINE_ARN: !Ref CheckoutStateMachine`); serverless-offline passes
 * such a value on as it is, and the function reads "[object Object]". The local stack resolves every function's
 * environment from the packaged template for the local account and hands it over in
 * STOREFRONT_OFFLINE_ENVIRONMENT ({"<function name>": {"<VARIABLE>": "<value>"}}); before offline starts, this
 * plugin puts those values in place of the references. Plain values (names, params) are left alone, so `--param`
 * overrides still apply. Without the variable (packaging, deploying, offline run by hand) it changes nothing.
 * The local stack's other settings for offline go the same way: no JWT authorizers (its gateway checks tokens),
 * no schedules of offline's own, and HTTP API events that carry the request as the client sent it
 * (requests-as-sent.ts).
 * Node runs it as it is (type stripping): only erasable syntax.
 */
import { keepRequestsAsSent, REQUESTS_AS_SENT_VARIABLE } from './requests-as-sent.ts';

export const VARIABLE = 'STOREFRONT_OFFLINE_ENVIRONMENT';

/**
 * Set by the local stack, which fires every schedule of the packaged templates itself (on time, and on demand
 * with `npm run schedule`): serverless-offline must not fire the functions' `schedule` events a second time.
 */
export const SCHEDULES_VARIABLE = 'STOREFRONT_SCHEDULES_BY_STACK';

/**
 * Set by the local stack (unless it watches files): the folder each function's packaged zip is unpacked in, which
 * offline then runs the handlers from, as Lambda runs the zip. The base config leaves serverless-esbuild out then.
 */
export const BUNDLES_VARIABLE = 'STOREFRONT_OFFLINE_BUNDLES';

export { REQUESTS_AS_SENT_VARIABLE };

type Environment = Record<string, unknown>;

/** What of a service's configuration this plugin reads and changes. */
export interface ServiceConfiguration {
  provider?: { environment?: Environment };
  custom?: Record<string, unknown>;
  functions?: Record<string, { name?: string; environment?: Environment; events?: Record<string, unknown>[] }>;
}

/**
 * Takes the JWT authorizer off every httpApi event. serverless-offline cannot check a JWT authorizer given by id
 * (an authorizer of another stack): it stops at start. The local gateway checks tokens in front of it, as API
 * Gateway does, and hands the verified claims on; so offline itself runs every route as public.
 * Answers the routes it changed.
 */
export function withoutAuthorizers(service: ServiceConfiguration): string[] {
  const changed: string[] = [];
  for (const fn of Object.values(service.functions ?? {})) {
    for (const event of fn.events ?? []) {
      const route = event.httpApi as { method?: string; path?: string; authorizer?: unknown } | undefined;
      if (!route || typeof route !== 'object' || route.authorizer === undefined) continue;
      delete route.authorizer;
      changed.push(`${route.method} ${route.path}`);
    }
  }
  return changed;
}

/** Each function's resolved environment, by function name. */
export type ResolvedEnvironments = Record<string, Record<string, unknown>>;

const isReference = (value: unknown): boolean => value !== null && typeof value === 'object';

/**
 * Replaces each reference in a function's environment (its own or the provider's) by its resolved value.
 * Changes `service` in place; answers the `function.VARIABLE`s it had no string value for.
 */
export function resolveReferences(service: ServiceConfiguration, resolved: ResolvedEnvironments): string[] {
  const missing: string[] = [];
  for (const [key, fn] of Object.entries(service.functions ?? {})) {
    const environment = { ...service.provider?.environment, ...fn.environment };
    const values = resolved[fn.name ?? key] ?? {};
    for (const [variable, value] of Object.entries(environment)) {
      if (!isReference(value)) continue;
      const local = values[variable];
      if (typeof local === 'string') fn.environment = { ...fn.environment, [variable]: local };
      else missing.push(`${key}.${variable}`);
    }
  }
  return missing;
}

/** Drops every function's `schedule` events, so serverless-offline starts no scheduler of its own. Changes `service` in place. */
export function withoutSchedules(service: ServiceConfiguration): void {
  for (const fn of Object.values(service.functions ?? {})) if (fn.events) fn.events = fn.events.filter((event) => !('schedule' in event));
}

/** Points serverless-offline at the unpacked bundles: it loads each handler from there. Changes `service` in place. */
export function runPackagedBundles(service: ServiceConfiguration, folder: string): void {
  const custom = (service.custom ??= {});
  custom['serverless-offline'] = { ...(custom['serverless-offline'] as Record<string, unknown> | undefined), location: folder };
}

/** What of the framework's plugin API this plugin uses. */
interface Serverless {
  service: ServiceConfiguration;
  classes: { Error: new (message: string) => Error };
  /** The service's folder (where offline runs); the working directory when the framework does not say. */
  serviceDir?: string;
}

// osls takes a plugin module's default export.
export default class OfflineReferences {
  readonly serverless: Serverless;
  readonly hooks: { 'before:offline:start:init': () => Promise<void> | void; 'before:offline:start': () => Promise<void> | void };

  constructor(serverless: Serverless) {
    this.serverless = serverless;
    // `serverless offline start` (what the local stack runs) and `serverless offline` both pass here before loading functions.
    this.hooks = { 'before:offline:start:init': () => this.prepare(), 'before:offline:start': () => this.prepare() };
  }

  prepare(): Promise<void> | void {
    this.resolve();
    // The local stack's gateway sends each request as the client sent it: its functions see that, not offline's version.
    const header = process.env[REQUESTS_AS_SENT_VARIABLE];
    if (header) return keepRequestsAsSent(this.serverless.serviceDir ?? process.cwd(), header);
  }

  resolve(): void {
    const bundles = process.env[BUNDLES_VARIABLE];
    if (bundles) runPackagedBundles(this.serverless.service, bundles);
    withoutAuthorizers(this.serverless.service);
    if (process.env[SCHEDULES_VARIABLE]) withoutSchedules(this.serverless.service);
    const given = process.env[VARIABLE];
    if (!given) return;
    const missing = resolveReferences(this.serverless.service, JSON.parse(given) as ResolvedEnvironments);
    if (missing.length)
      throw new this.serverless.classes.Error(
        `No local value for ${missing.join(', ')}: the local stack resolves them from the packaged template`,
      );
  }
}
