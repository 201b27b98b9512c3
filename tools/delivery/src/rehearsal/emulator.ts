/**
 * The AWS emulator the rehearsal deploys into: moto's server (Python, from the machine image; see the README's
 * prerequisites) with our compatibility patches (emulator/moto_patches.py), on a free port of 127.0.0.1, its log in a
 * file. Every account and region starts empty.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { StackError } from '#packaging';

const EMULATOR_DIR = join(import.meta.dirname, 'emulator');
const READY_WITHIN_MS = 30_000;

/** Resource types moto does not model, which the rehearsal deploys as placeholders: the one allow-list. */
export const UNMODELLED_TYPES: readonly string[] = (
  JSON.parse(readFileSync(join(EMULATOR_DIR, 'unmodelled-types.json'), 'utf8')) as { types: string[] }
).types;

export interface Emulator {
  endpoint: string;
  logFile: string;
  /** Ends moto; resolves once its process has gone, so nothing of it outlives the caller (a Jest worker, say). */
  stop(): Promise<void>;
}

/** One clear line when Python or moto is missing, before anything starts. */
export function requireMoto(): void {
  const probe = spawnSync('python3', ['-c', 'import moto; print(moto.__version__)'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0)
    throw new StackError('moto is not installed for python3', "install Python 3.11 with moto 5.2 (see the README's prerequisites)");
  if (!probe.stdout.trim().startsWith('5.2.'))
    throw new StackError(`the rehearsal's patches are written for moto 5.2.x, found ${probe.stdout.trim()}`, 'install moto 5.2');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function startEmulator(logFile: string): Promise<Emulator> {
  requireMoto();
  const port = await freePort();
  const log = openSync(logFile, 'a');
  const child = spawn('python3', [join(EMULATOR_DIR, 'moto_server.py'), String(port)], { stdio: ['ignore', log, log] });
  closeSync(log);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    return exited;
  };
  process.once('exit', stop);
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + READY_WITHIN_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    const ready = await fetch(`${endpoint}/moto-api/data.json`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return { endpoint, logFile, stop };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await stop();
  throw new StackError(`moto did not start on port ${port}`, `read ${logFile}`);
}
