import { type ChildProcess, spawn } from 'node:child_process';
import { DeleteTableCommand, DynamoDBClient, ListTablesCommand, paginateListTables } from '@aws-sdk/client-dynamodb';
import { dynamoDbLocalArguments, dynamoDbLocalJar } from '@storefront/packaging';
import { freePort } from './free-port';
import { localRetryStrategy } from './local-retries';

export interface DynamoDbLocal {
  endpoint: string;
  client: DynamoDBClient;
  /** Done with it: closes the client, and stops DynamoDB Local if this handle started it. */
  stop(): Promise<void>;
}

/** Static credentials: DynamoDB Local accepts any, and tests must never find real ones. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
export const LOCAL_REGION = 'us-east-1';

/**
 * Set on every test's global by the test environment (libs/testing/src/jest/environment.ts): the endpoint of the
 * DynamoDB Local this Jest process keeps for its test files, started when the first one asks for it.
 */
export const WORKER_DYNAMODB_LOCAL = 'storefrontWorkerDynamoDbLocal';

const localClient = (endpoint: string) =>
  new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, retryStrategy: localRetryStrategy });

/**
 * Starts the real DynamoDB Local (in memory, shared across clients, streams
 * and transactions included) on a free port and waits until it answers: up to
 * 50 s, inside the 60 s a hook has, since `npm test` starts JVMs beside two
 * local stacks on two cores (a start took over 30 s there).
 */
export async function startDynamoDbLocal({ timeoutMs = 50_000 } = {}): Promise<DynamoDbLocal> {
  const { endpoint, child } = await spawnDynamoDbLocal(timeoutMs);
  const client = localClient(endpoint);
  const stop = async () => {
    client.destroy();
    if (child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  return { endpoint, client, stop };
}

/**
 * DynamoDB Local with no tables, for one test file: the same real emulator as `startDynamoDbLocal`, but the one the
 * Jest process keeps for all its files (one JVM start per process instead of one per file), emptied of every table
 * the files before this one made. Files of one process run one after another, so a file has it to itself, as if
 * freshly started. Outside the test environment that keeps one, it starts one of its own.
 */
export async function emptyDynamoDbLocal(): Promise<DynamoDbLocal> {
  const ofThisProcess = (globalThis as Record<string, unknown>)[WORKER_DYNAMODB_LOCAL];
  if (typeof ofThisProcess !== 'function') return startDynamoDbLocal();
  const endpoint = await (ofThisProcess as () => Promise<string>)();
  const client = localClient(endpoint);
  await deleteEveryTable(client);
  return { endpoint, client, stop: async () => client.destroy() };
}

async function deleteEveryTable(client: DynamoDBClient): Promise<void> {
  const names: string[] = [];
  for await (const page of paginateListTables({ client }, {})) names.push(...(page.TableNames ?? []));
  await Promise.all(names.map((TableName) => client.send(new DeleteTableCommand({ TableName }))));
  const { TableNames: left = [] } = await client.send(new ListTablesCommand({}));
  if (left.length) throw new Error(`DynamoDB Local still has tables after deleting them all: ${left.join(', ')}`);
}

/**
 * Starts DynamoDB Local for a whole Jest process (the test environment calls this once per process): it never keeps
 * the process alive and goes when the process exits.
 */
export async function startDynamoDbLocalForProcess({ timeoutMs = 50_000 } = {}): Promise<{ endpoint: string; exited: () => boolean }> {
  const { endpoint, child } = await spawnDynamoDbLocal(timeoutMs);
  child.unref();
  for (const stream of [child.stdout, child.stderr]) (stream as (typeof child.stdout & { unref?: () => void }) | null)?.unref?.();
  process.once('exit', () => child.kill('SIGTERM'));
  return { endpoint, exited: () => child.exitCode !== null || child.signalCode !== null };
}

async function spawnDynamoDbLocal(timeoutMs: number): Promise<{ endpoint: string; child: ChildProcess }> {
  const port = await freePort();
  const jar = dynamoDbLocalJar();
  const child = spawn('java', dynamoDbLocalArguments(jar, { port, inMemory: true }), { cwd: jar.dir, stdio: 'pipe' });
  let output = '';
  child.stderr?.on('data', (chunk) => (output += String(chunk)));
  child.stdout?.on('data', (chunk) => (output += String(chunk)));
  const spawnError = new Promise<never>((_, reject) => {
    child.once('error', (error) => reject(new Error(`DynamoDB Local did not start (is Java 17+ on PATH?): ${error.message}`)));
    child.once('exit', (code) => reject(new Error(`DynamoDB Local exited with code ${code}: ${output.trim()}`)));
  });
  spawnError.catch(() => undefined);

  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await Promise.race([waitUntilReady(endpoint, timeoutMs), spawnError]);
  } catch (error) {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    throw error;
  }
  return { endpoint, child };
}

/** Asks once per try (a refused connection means "not up yet", not a reason to retry), until it answers. */
async function waitUntilReady(endpoint: string, timeoutMs: number): Promise<void> {
  const probe = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      try {
        await probe.send(new ListTablesCommand({}));
        return;
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`DynamoDB Local did not answer within ${timeoutMs} ms`, { cause: error });
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  } finally {
    probe.destroy();
  }
}
