import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import NodeEnvironment from 'jest-environment-node';
import { bootLocalStack, type RunningStack } from './local-stack';
import { BOOT_FUNCTION, REGISTRY_VARIABLE, SHARED_STACK_OPTIONS, type SharedStack } from './shared-stack';

/**
 * Jest loads an environment outside the suites' sandboxes, once per process, so the stack booted here outlives
 * the suite that asked for it and serves every later one of the run in this process. A run (each one in watch
 * mode) has a registry of its own, and its teardown stops the stack: a later run boots a new one.
 */
let booted: { registry: string; stack: Promise<RunningStack> } | undefined;

function sharedStackOfThisRun(): Promise<RunningStack> {
  const registry = process.env[REGISTRY_VARIABLE];
  if (!registry) throw new Error(`${REGISTRY_VARIABLE} is not set: the e2e project's globalSetup did not run`);
  if (booted?.registry !== registry) booted = { registry, stack: bootAndRegister(registry) };
  return booted.stack;
}

async function bootAndRegister(registry: string): Promise<RunningStack> {
  const stack = await bootLocalStack(SHARED_STACK_OPTIONS);
  writeFileSync(join(registry, `${process.pid}.json`), JSON.stringify({ pid: stack.child.pid, stateDir: stack.stateDir }));
  return stack;
}

/** Every e2e suite runs in this environment; only those that call sharedLocalStack() start the stack. */
export default class SharedStackEnvironment extends NodeEnvironment {
  constructor(...args: ConstructorParameters<typeof NodeEnvironment>) {
    super(...args);
    this.global[BOOT_FUNCTION] = async (): Promise<SharedStack> => {
      const running = await sharedStackOfThisRun();
      // The suites get the stack's addresses and records; stopping it is the global teardown's job alone.
      const shared: SharedStack & Partial<Pick<RunningStack, 'child' | 'stop'>> = { ...running };
      delete shared.child;
      delete shared.stop;
      return shared;
    };
  }
}
