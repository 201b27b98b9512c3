import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const GUARD = fileURLToPath(new URL('./child-guard.ts', import.meta.url));

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

/**
 * Stops what an earlier start left running (it was killed before it could
 * clean up). Only processes that are still our guards are touched.
 */
export async function stopLeftovers(registryFile: string): Promise<number> {
  if (!existsSync(registryFile)) return 0;
  let entries: { name: string; pid: number }[] = [];
  try {
    entries = JSON.parse(readFileSync(registryFile, 'utf8'));
  } catch {
    entries = [];
  }
  const ours = entries.filter(({ pid }) => isAlive(pid) && commandLine(pid).includes(GUARD));
  for (const { pid } of ours) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
  const deadline = Date.now() + 5000;
  while (ours.some(({ pid }) => isAlive(pid)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  writeFileSync(registryFile, '[]');
  return ours.length;
}

/** A child process of the stack and its last lines of output. */
export interface RunningProcess {
  name: string;
  child: ChildProcessWithoutNullStreams;
  output: string[];
}

/** The child processes of one stack: each in its own process group, behind a guard, recorded on disk. */
export class ProcessGroup {
  #children: RunningProcess[] = [];
  readonly registryFile: string;

  constructor(registryFile: string) {
    this.registryFile = registryFile;
    writeFileSync(registryFile, '[]');
  }

  spawn(
    name: string,
    command: string,
    args: string[],
    { cwd, env, onLine }: { cwd?: string; env?: NodeJS.ProcessEnv; onLine?: (line: string) => void } = {},
  ): RunningProcess {
    const child = spawn(process.execPath, [GUARD, command, ...args], { cwd, env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    const output: string[] = [];
    const collect = (chunk: unknown) => {
      for (const line of String(chunk).split('\n')) {
        if (!line.trim()) continue;
        output.push(line);
        if (output.length > 200) output.shift();
        onLine?.(line);
      }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const entry = { name, child, output };
    this.#children.push(entry);
    writeFileSync(this.registryFile, JSON.stringify(this.#children.map((c) => ({ name: c.name, pid: c.child.pid }))));
    return entry;
  }

  async stopAll(): Promise<void> {
    const running = this.#children.filter(({ child }) => child.exitCode === null && child.signalCode === null);
    const exited = running.map(({ child }) => new Promise((resolve) => child.once('exit', resolve)));
    for (const { child } of running) {
      try {
        process.kill(-(child.pid as number), 'SIGTERM');
      } catch {
        /* already gone */
      }
    }
    const timeout = new Promise((resolve) => setTimeout(resolve, 5000).unref());
    await Promise.race([Promise.all(exited), timeout]);
    for (const { child } of running) {
      try {
        process.kill(-(child.pid as number), 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
    writeFileSync(this.registryFile, '[]');
  }
}
