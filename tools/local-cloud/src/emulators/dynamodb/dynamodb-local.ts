import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../common/aws-local.ts';
import { dynamoDbLocalArguments, dynamoDbLocalJar, StackError } from '#packaging';
import type { ProcessGroup } from '../../stack/processes.ts';
import type { EmulatorOptions } from '../../common/types.ts';
import { indexStreamRecords, SHARED_DATABASE_FILE } from './stream-records-index.ts';

const RECOVERY = 'if its data is damaged, `npm start -- --fresh` starts from an empty database';

interface WaitOptions {
  timeoutMs: number;
  describe: string;
  exited: () => boolean;
  lastOutput: () => string;
}

async function waitFor<T>(check: () => Promise<T>, { timeoutMs, describe, exited, lastOutput }: WaitOptions): Promise<T> {
  const started = Date.now();
  for (;;) {
    if (exited()) throw new StackError(`${describe} exited while starting (it said: ${lastOutput() || 'nothing'})`, RECOVERY);
    try {
      return await check();
    } catch (caught) {
      const error = caught as Error & { $metadata?: { httpStatusCode?: number } };
      // Refused connections mean "not up yet"; server errors for a few seconds mean it is up and broken.
      const broken = (error.$metadata?.httpStatusCode ?? 0) >= 500 && Date.now() - started > 5000;
      if (broken || Date.now() - started > timeoutMs) {
        throw new StackError(
          `${describe} ${broken ? 'fails every request' : `did not answer within ${timeoutMs / 1000} s`} (${error.message}; it said: ${lastOutput() || 'nothing'})`,
          RECOVERY,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
  }
}

export interface DynamoDbLocal {
  endpoint: string;
  /** Something to tell whoever started it: its stream records could not be indexed. */
  note?: string;
}

type Indexing = { indexed: boolean; problem?: string };

/** Indexes the stream records of the database file (see stream-records-index.ts), or says why it could not. */
function indexing(databaseFile: string): Indexing {
  try {
    return { indexed: indexStreamRecords(databaseFile) };
  } catch (error) {
    return { indexed: false, problem: (error as Error).message };
  }
}

/**
 * Real DynamoDB Local (streams, transactions, TTL), a Java process of the stack's process group. On disk, its
 * stream records get the index DynamoDB Local lacks: an existing database before DynamoDB Local opens it, a new one
 * as soon as DynamoDB Local has made it (its stream records table still empty).
 */
export async function startDynamoDbLocal(processes: ProcessGroup, options: EmulatorOptions): Promise<DynamoDbLocal> {
  const { port, dataDir, inMemory } = options;
  const jar = dynamoDbLocalJar();
  const databaseFile = join(dataDir, SHARED_DATABASE_FILE);
  let streamRecords: Indexing = inMemory ? { indexed: true } : indexing(databaseFile);
  if (!inMemory) mkdirSync(dataDir, { recursive: true });
  const entry = processes.spawn('dynamodb-local', 'java', dynamoDbLocalArguments(jar, options), { cwd: jar.dir });
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  try {
    await waitFor(() => client.send(new ListTablesCommand({})), {
      timeoutMs: 30_000,
      describe: `DynamoDB Local on port ${port}`,
      exited: () => entry.child.exitCode !== null,
      // The emulator's own complaint, without the Java stack frames under it.
      lastOutput: () =>
        entry.output
          .filter((line) => !/^\s+at |^\s*\.\.\. \d+ more/.test(line))
          .slice(-3)
          .join(' | '),
    });
  } finally {
    client.destroy();
  }
  if (!streamRecords.indexed) streamRecords = indexing(databaseFile);
  if (streamRecords.indexed) return { endpoint };
  const why = streamRecords.problem ?? `${databaseFile} has no stream records table`;
  return { endpoint, note: `DynamoDB Local's stream records are not indexed (${why}): reading streams slows as records pile up` };
}
