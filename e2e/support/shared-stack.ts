/**
 * One local stack for the end-to-end suites that only drive the running system (rather than start, stop or
 * rebuild it), booted by the first suite that asks for it and stopped after the last: one boot instead of
 * one per suite. The suites stay independent of each other by using ids and SKUs of their own.
 */

import type { RunningStack } from './local-stack';

/** The watchdog's limit on the shared stack: short, so a test sees a stale order rejected in seconds, not 15 minutes. */
export const PENDING_TIMEOUT_SECONDS = 5;

/** The payment provider's timeout on the shared stack: a call the faults hang costs one second, not five. */
export const PAYMENT_PROVIDER_TIMEOUT_MS = 1000;

export const SHARED_STACK_OPTIONS = {
  params: {
    orders: { pendingTimeoutSeconds: String(PENDING_TIMEOUT_SECONDS) },
    payments: { paymentProviderTimeoutMs: String(PAYMENT_PROVIDER_TIMEOUT_MS) },
  },
};

/** Where the stacks booted for this run are registered, so the global teardown can stop them. */
export const REGISTRY_VARIABLE = 'STOREFRONT_E2E_SHARED_STACKS';

/** What a suite may use of the shared stack: its addresses and what it wrote, never its stop(). */
export type SharedStack = Omit<RunningStack, 'child' | 'stop'>;

/** Set on every e2e test's global by the project's environment (shared-stack-environment.ts). */
export const BOOT_FUNCTION = 'bootSharedLocalStack';

/** The shared stack, booting it if no suite of this run has yet. */
export function sharedLocalStack(): Promise<SharedStack> {
  const boot = (globalThis as Record<string, unknown>)[BOOT_FUNCTION];
  if (typeof boot !== 'function')
    throw new Error(`no shared local stack here: run this suite in the e2e Jest project, whose environment provides ${BOOT_FUNCTION}`);
  return (boot as () => Promise<SharedStack>)();
}
