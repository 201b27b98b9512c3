import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { isAlive } from './local-stack';
import { REGISTRY_VARIABLE } from './shared-stack';

const STOP_TIMEOUT_MS = 30_000;

/** Stops a stack as Ctrl-C does (it stops its children), and waits for it to be gone. */
async function stop(pid: number): Promise<void> {
  if (!isAlive(pid)) return;
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
}

/** Jest's globalTeardown for the e2e project: stops every shared stack a process of this run booted. */
export default async function stopSharedStacks(): Promise<void> {
  const registry = process.env[REGISTRY_VARIABLE];
  if (!registry) return;
  for (const file of readdirSync(registry)) {
    const { pid, stateDir } = JSON.parse(readFileSync(join(registry, file), 'utf8')) as { pid: number; stateDir: string };
    await stop(pid);
    rmSync(stateDir, { recursive: true, force: true });
  }
  rmSync(registry, { recursive: true, force: true });
}
