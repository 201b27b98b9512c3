import NodeEnvironment from 'jest-environment-node';
import { startDynamoDbLocalForProcess, WORKER_DYNAMODB_LOCAL } from '../dynamodb-local';

/**
 * Jest loads a test environment outside the test files' sandboxes, once per process: DynamoDB Local started here
 * serves every later file of this process, so a JVM starts once per Jest process rather than once per file. It starts
 * when the first file asks (`emptyDynamoDbLocal()`), again if it has died, and goes when the process exits.
 */
let running: Promise<{ endpoint: string; exited: () => boolean }> | undefined;

async function endpointOfThisProcess(): Promise<string> {
  const current = running && (await running.catch(() => undefined));
  if (current && !current.exited()) return current.endpoint;
  running = startDynamoDbLocalForProcess();
  return (await running).endpoint;
}

/** The node environment, plus this process's DynamoDB Local for the files that ask for it. */
export default class TestEnvironment extends NodeEnvironment {
  constructor(...args: ConstructorParameters<typeof NodeEnvironment>) {
    super(...args);
    this.global[WORKER_DYNAMODB_LOCAL] = endpointOfThisProcess;
  }
}
