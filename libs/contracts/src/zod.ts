import { config, type ZodMiniType } from 'zod/mini';
import { en } from 'zod/locales';

// zod/mini ships without messages; load English once so every error reads well.
// (Only English: the `locales` namespace would bundle every language.)
config(en());

/** A contract schema that parses to T. */
export type Schema<T = unknown> = ZodMiniType<T>;
