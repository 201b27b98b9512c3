import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RunningStack {
  url: string;
  dynamoEndpoint: string;
  messagingEndpoint: string;
  stepFunctionsEndpoint: string;
  secretsManagerEndpoint: string;
  /** The local payment provider (Stripe's API subset; GET /_local/ledger, POST /_local/faults). */
  paymentProviderUrl: string;
  basePort: number;
  stateDir: string;
  child: ChildProcessWithoutNullStreams;
  /** The pids of the stack's child processes (emulators, services), as it recorded them. */
  processIds(): number[];
  stop(options?: { keepState?: boolean }): Promise<void>;
}

const workspaceRoot = join(import.meta.dirname, '../..');

function startArgs(basePort: number, stateDir: string, extra: string[]) {
  return [
    '--disable-warning=ExperimentalWarning',
    'tools/local/start.ts',
    '--quiet-services',
    '--stop-when-stdin-closes',
    '--base-port',
    String(basePort),
    '--state-dir',
    stateDir,
    // Failed messages come back after 2 s instead of the queues' 60 s, so a dead-letter test takes seconds.
    '--max-visibility-timeout',
    '2',
    ...extra,
  ];
}

export interface BootOptions {
  basePort?: number;
  stateDir?: string;
  fresh?: boolean;
  /** Params the services' functions run with instead of compose's, e.g. { orders: { pendingTimeoutSeconds: '5' } }. */
  params?: Record<string, Record<string, string>>;
  /** The share of calls the local payment provider fails (`--payment-faults`). */
  paymentFaults?: number;
  timeoutMs?: number;
  /** The workspace to start it from (default: this one). */
  root?: string;
}

const PORT_BLOCK_ATTEMPTS = 5;

/**
 * A base port below Linux's ephemeral range (32768 and up): the stack needs a block of ports above its base, and
 * an outgoing connection of any process on the machine can take an ephemeral port at any moment.
 */
const randomBasePort = () => 20_000 + 50 * Math.floor(Math.random() * 250);

/**
 * Boots the system exactly as `npm start` does (from empty state on free
 * ports unless told otherwise), as a child that stops when this process goes
 * away, even if the test run is killed. Without a given base port, a block
 * that turns out to be taken (by a parallel run, say) is traded for another.
 */
export async function bootLocalStack(options: BootOptions = {}): Promise<RunningStack> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await bootOnce(options.basePort ?? randomBasePort(), options);
    } catch (error) {
      const portTaken = error instanceof Error && error.message.includes('is already in use');
      if (options.basePort !== undefined || !portTaken || attempt >= PORT_BLOCK_ATTEMPTS) throw error;
    }
  }
}

async function bootOnce(
  port: number,
  { stateDir, fresh = true, params = {}, paymentFaults, timeoutMs = 120_000, root = workspaceRoot }: BootOptions,
): Promise<RunningStack> {
  const dir = stateDir ?? mkdtempSync(join(tmpdir(), 'storefront-e2e-'));
  const paramArgs = Object.entries(params).flatMap(([service, values]) =>
    Object.entries(values).flatMap(([name, value]) => ['--param', `${service}.${name}=${value}`]),
  );
  const faultArgs = paymentFaults === undefined ? [] : ['--payment-faults', String(paymentFaults)];
  const child = spawn(process.execPath, startArgs(port, dir, [...(fresh ? ['--fresh'] : []), ...paramArgs, ...faultArgs]), {
    cwd: root,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const ready = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the local stack was not ready within ${timeoutMs / 1000} s:\n${output}`)), timeoutMs);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const ready = /is ready in .* at (http:\/\/\S+)/.exec(output);
      if (ready?.[1]) {
        clearTimeout(timer);
        resolve(ready[1]);
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the local stack exited (${code}) before it was ready:\n${output}`));
    });
  });
  let url: string;
  try {
    url = await ready;
  } catch (error) {
    // Never leave a half-started stack behind a failed boot.
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
    await exited;
    if (!stateDir) rmSync(dir, { recursive: true, force: true });
    throw error;
  }

  return {
    url,
    dynamoEndpoint: `http://127.0.0.1:${port + 1}`,
    messagingEndpoint: `http://127.0.0.1:${port + 2}`,
    stepFunctionsEndpoint: `http://127.0.0.1:${port + 3}`,
    secretsManagerEndpoint: `http://127.0.0.1:${port + 4}`,
    paymentProviderUrl: `http://127.0.0.1:${port + 5}`,
    basePort: port,
    stateDir: dir,
    child,
    processIds: () => (JSON.parse(readFileSync(join(dir, 'processes.json'), 'utf8')) as { pid: number }[]).map((p) => p.pid),
    async stop({ keepState = false } = {}) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
      await exited;
      if (!keepState) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs `npm start`'s entry point expecting it to fail before it is ready; answers its exit code and output. */
export function startExpectingFailure(
  basePort: number,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ code: number | null; output: string }> {
  const stateDir = mkdtempSync(join(tmpdir(), 'storefront-e2e-'));
  const child = spawn(process.execPath, startArgs(basePort, stateDir, ['--fresh']), {
    cwd: workspaceRoot,
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

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
