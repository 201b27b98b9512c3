/**
 * The one way to boot the local cloud in this process (`npm start`, `npm run cost`). A child process of its own
 * (`spawnLocalCloud`, child-process.ts) runs this same boot through `npm start`'s entry point.
 */
import { createProgress, type Progress } from '../common/progress.ts';
import { onFreePortBlock } from './port-block.ts';
import type { RunningStack, StackOptions } from './stack.ts';

export type LocalCloud = RunningStack;

export type LocalCloudOptions = Omit<StackOptions, 'progress'> & {
  /** A line per component as it starts (default: none). */
  progress?: Progress;
};

/**
 * Starts every emulator, service and event source, and answers once the gateway serves. With a base port it
 * takes that block of ports or fails naming the one taken; without, a random free block (traded for another
 * when one of its ports turns out to be taken).
 */
export async function startLocalCloud(options: LocalCloudOptions = {}): Promise<LocalCloud> {
  // The stack pulls in every emulator: loaded on the first boot, not by whoever only reads this project's door.
  const { startStack } = await import('./stack.ts');
  const progress = options.progress ?? createProgress({ quiet: true });
  const boot = (basePort: number) => startStack({ ...options, basePort, progress });
  return options.basePort === undefined ? onFreePortBlock(boot) : boot(options.basePort);
}
