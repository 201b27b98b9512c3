import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAlive, type LocalCloudProcess, spawnLocalCloud, type SpawnOptions, startArguments } from '#local-cloud';

export { isAlive };
export type RunningStack = LocalCloudProcess;

/**
 * Boots the system exactly as `npm start` does (from empty state on a free block of ports unless told otherwise),
 * as a child that stops when this process goes away, even if the test run is killed. Failed messages come back
 * after 2 s instead of the queues' 60 s, so a dead-letter test takes seconds.
 */
export const bootLocalStack = (options: SpawnOptions = {}): Promise<RunningStack> =>
  // Up to 4 minutes to be ready: `npm test` boots two stacks beside the other tests on two cores.
  spawnLocalCloud({ maxVisibilityTimeout: 2, timeoutMs: 240_000, ...options });

/** Runs `npm start`'s entry point expecting it to fail before it is ready; answers its exit code and output. */
export function startExpectingFailure(
  basePort: number,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ code: number | null; output: string }> {
  const stateDir = mkdtempSync(join(tmpdir(), 'storefront-e2e-'));
  const child = spawn(process.execPath, startArguments(basePort, stateDir), {
    cwd: join(import.meta.dirname, '../..'),
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  return new Promise((resolve) =>
    child.once('exit', (code) => {
      rmSync(stateDir, { recursive: true, force: true });
      resolve({ code, output });
    }),
  );
}
