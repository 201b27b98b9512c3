/**
 * The local cloud in a child process, booted through `npm start`'s own entry point (cli/start.ts) exactly as a user
 * starts it: what the end-to-end tests and the bench drive. The child stops when its parent goes away (its stdin
 * closes), even if the parent is killed.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { workspaceRoot } from '#packaging';
import { baseUrlFor, endpointsFor, type LocalCloudEndpoints } from './layout.ts';
import { onFreePortBlock } from './port-block.ts';

/** `npm start`'s entry point, relative to the workspace it runs in (a copy of this one, in some tests). */
const START_SCRIPT = relative(workspaceRoot, join(import.meta.dirname, '../cli/start.ts'));

export interface SpawnOptions {
  /** A block of ports of its own; default a random free one. */
  basePort?: number;
  /** Where the emulators keep their data; default a new temporary folder. stop() removes it unless told to keep it. */
  stateDir?: string;
  /** Start from empty tables, queues and buckets (default true). */
  fresh?: boolean;
  /** Params the services' functions run with instead of compose's, e.g. { orders: { pendingTimeoutSeconds: '5' } }. */
  params?: Record<string, Record<string, string>>;
  /** The share of calls the local payment provider fails (`--payment-faults`). */
  paymentFaults?: number;
  /** Cap queue visibility timeouts (seconds), so failed messages come back sooner. */
  maxVisibilityTimeout?: number;
  /** Run only these services' functions. */
  only?: string[];
  timeoutMs?: number;
  /** The workspace to start it from (default: this one). */
  root?: string;
  env?: NodeJS.ProcessEnv;
  /** The stack's own stderr, line by line as it comes (the bench echoes it). */
  onStderr?: (chunk: string) => void;
}

export interface LocalCloudProcess {
  baseUrl: string;
  basePort: number;
  endpoints: LocalCloudEndpoints;
  stateDir: string;
  child: ChildProcessWithoutNullStreams;
  /** The pids of the stack's child processes (emulators, services), as it recorded them. */
  processIds(): number[];
  stop(options?: { keepState?: boolean }): Promise<void>;
}

/** `npm start`'s arguments for these options, quiet and bound to its parent. */
export function startArguments(basePort: number, stateDir: string, options: SpawnOptions = {}): string[] {
  const { fresh = true, params = {}, paymentFaults, maxVisibilityTimeout, only = [] } = options;
  return [
    '--disable-warning=ExperimentalWarning',
    START_SCRIPT,
    '--quiet-services',
    '--stop-when-stdin-closes',
    '--base-port',
    String(basePort),
    '--state-dir',
    stateDir,
    ...(fresh ? ['--fresh'] : []),
    ...Object.entries(params).flatMap(([service, values]) =>
      Object.entries(values).flatMap(([name, value]) => ['--param', `${service}.${name}=${value}`]),
    ),
    ...(paymentFaults === undefined ? [] : ['--payment-faults', String(paymentFaults)]),
    ...(maxVisibilityTimeout === undefined ? [] : ['--max-visibility-timeout', String(maxVisibilityTimeout)]),
    ...only.flatMap((service) => ['--only', service]),
  ];
}

/** Runs `npm start`'s entry point in a child and answers once it says it is ready. */
export function spawnLocalCloud(options: SpawnOptions = {}): Promise<LocalCloudProcess> {
  return options.basePort === undefined ? onFreePortBlock((basePort) => spawnOn(basePort, options)) : spawnOn(options.basePort, options);
}

async function spawnOn(basePort: number, options: SpawnOptions): Promise<LocalCloudProcess> {
  const { stateDir, timeoutMs = 120_000, root = workspaceRoot, env = process.env, onStderr } = options;
  const dir = stateDir ?? mkdtempSync(join(tmpdir(), 'storefront-local-cloud-'));
  // A temporary folder goes with the stack however it ends; a given one only when stop() is not told to keep it.
  let removeState = stateDir === undefined;
  const child = spawn(process.execPath, startArguments(basePort, dir, options), { cwd: root, env, stdio: ['pipe', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      if (removeState) rmSync(dir, { recursive: true, force: true });
      resolve(code);
    }),
  );
  let output = '';
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the local stack was not ready within ${timeoutMs / 1000} s:\n${output}`)), timeoutMs);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      if (/is ready in .* at http:\/\/\S+/.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', (chunk: Buffer) => {
      onStderr?.(chunk.toString());
      read(chunk);
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the local stack exited (${code}) before it was ready:\n${output}`));
    });
  });
  const halt = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
    await exited;
  };
  const stop = async (stopOptions: { keepState?: boolean } = {}) => {
    removeState = stopOptions.keepState !== true;
    await halt();
  };
  try {
    await ready;
  } catch (error) {
    // Never leave a half-started stack behind a failed boot.
    await halt();
    throw error;
  }
  return {
    baseUrl: baseUrlFor(basePort),
    basePort,
    endpoints: endpointsFor(basePort),
    stateDir: dir,
    child,
    processIds: () => (JSON.parse(readFileSync(join(dir, 'processes.json'), 'utf8')) as { pid: number }[]).map((p) => p.pid),
    stop,
  };
}
