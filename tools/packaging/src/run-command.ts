import { spawn } from 'node:child_process';
import { relative } from 'node:path';
import { StackError } from './errors.ts';
import { workspaceRoot } from './services.ts';

export interface RunOptions {
  /** What the failure says ran: the command and its arguments unless given (packaging's list of params is long). */
  title?: string;
  /** Tools like serverless-esbuild can hang after a failure; a time limit turns that into a clear one. */
  timeoutMs?: number;
  /** Hold the output back (it still ends a failure's message) instead of showing it as it comes. */
  quiet?: boolean;
  env?: NodeJS.ProcessEnv;
  /** Each chunk of held-back output as it comes (a log file). */
  onOutput?: (chunk: Buffer) => void;
  /** What to do when it fails. */
  fix?: string;
}

/** Runs a command to its end in its own process group (killed whole at the time limit); rejects with its last lines. */
export function runCommand(
  command: string,
  args: string[],
  cwd: string,
  { title = [command, ...args].join(' '), timeoutMs = 300_000, quiet = false, env, onOutput, fix = 'fix the error above' }: RunOptions = {},
): Promise<void> {
  const where = relative(workspaceRoot, cwd) || '.';
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit', detached: true });
    let output = '';
    const keep = (chunk: Buffer) => {
      output += chunk;
      onOutput?.(chunk);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const timer = setTimeout(() => {
      process.kill(-(child.pid as number), 'SIGKILL');
      reject(new StackError(`${title} in ${where} did not finish within ${timeoutMs / 1000} s`, 'run it by hand to see where it stops'));
    }, timeoutMs);
    child.on('error', (error) => reject(error));
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new StackError(`\`${title}\` failed in ${where}:\n${output.trim().split('\n').slice(-15).join('\n')}`, fix));
    });
  });
}
