import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EnvironmentContext, JestEnvironmentConfig } from '@jest/environment';
import NodeEnvironment from 'jest-environment-node';
import { bootLocalStack, type RunningStack } from './local-stack';
import { BOOT_FUNCTION, REGISTRY_VARIABLE, SHARED_STACK_OPTIONS, type SharedStack } from './shared-stack';

/**
 * Jest loads an environment outside the suites' sandboxes, once per process, so the stack booted here outlives
 * the suite that asked for it and serves every later one in this process.
 */
let booting: Promise<RunningStack> | undefined;

async function bootAndRegister(): Promise<RunningStack> {
  const registry = process.env[REGISTRY_VARIABLE];
  if (!registry) throw new Error(`${REGISTRY_VARIABLE} is not set: the e2e project's globalSetup did not run`);
  const stack = await bootLocalStack(SHARED_STACK_OPTIONS);
  writeFileSync(join(registry, `${process.pid}.json`), JSON.stringify({ pid: stack.child.pid, stateDir: stack.stateDir }));
  return stack;
}

/** Every e2e suite runs in this environment; only those that call sharedLocalStack() start the stack. */
export default class SharedStackEnvironment extends NodeEnvironment {
  constructor(config: JestEnvironmentConfig, context: EnvironmentContext) {
    super(config, context);
    this.global[BOOT_FUNCTION] = async (): Promise<SharedStack> => {
      booting ??= bootAndRegister();
      const running = await booting;
      // The suites get the stack's addresses and records; stopping it is the global teardown's job alone.
      const shared: SharedStack & Partial<Pick<RunningStack, 'child' | 'stop'>> = { ...running };
      delete shared.child;
      delete shared.stop;
      return shared;
    };
  }
}
