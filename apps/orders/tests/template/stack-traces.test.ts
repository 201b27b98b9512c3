import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { aLambdaContext, anHttpApiEvent, unpackedFunction, type UnpackedFunction } from '@storefront/testing';

/**
 * What the Lambda runtime does with a handler module: imports it (an error there is an init error, its stack
 * logged), then invokes it once. Prints the runtime's report of an init error on stderr, as Lambda logs it.
 */
const LAMBDA_RUNTIME = `
const [moduleUrl, exportName, event, context] = process.argv.slice(1);
let handler;
try {
  handler = (await import(moduleUrl))[exportName];
} catch (error) {
  console.error(JSON.stringify({ errorType: error.name, errorMessage: error.message, stack: error.stack.split('\\n') }));
  process.exit(1);
}
await handler(JSON.parse(event), JSON.parse(context));
process.exit(0);
`;

const source = (file: string) => readFileSync(join(import.meta.dirname, '../..', file), 'utf8').split('\n');
/** The 1-based line of `file` that holds `text`. */
const lineOf = (file: string, text: string) => source(file).findIndex((line) => line.includes(text)) + 1;

/** Starts the unpacked function in a Node process of its own, with its template's environment and `extra`. */
function runAsLambda(
  fn: UnpackedFunction,
  extra: Record<string, string>,
  event: unknown = {},
): Promise<{ stdout: string; stderr: string }> {
  const child = spawn(
    process.execPath,
    ['--input-type=module', '-e', LAMBDA_RUNTIME, fn.moduleUrl, fn.exportName, JSON.stringify(event), JSON.stringify(aLambdaContext())],
    {
      env: {
        PATH: process.env.PATH,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        ...fn.environment,
        ...extra,
      },
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve) => child.on('close', () => resolve({ stdout, stderr })));
}

/** A stand-in for DynamoDB that gives every request the same answer. */
async function dynamoDbAnswering(status: number, body: object): Promise<{ dynamodb: Server; endpoint: string }> {
  const dynamodb = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(status, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'stand-in-1' });
      response.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => dynamodb.listen(0, '127.0.0.1', resolve));
  return { dynamodb, endpoint: `http://127.0.0.1:${(dynamodb.address() as AddressInfo).port}` };
}

describe('stack traces of a deployed function', () => {
  let unpacked: UnpackedFunction[] = [];
  const unpack = (name: string) => {
    const fn = unpackedFunction('orders', name);
    unpacked.push(fn);
    return fn;
  };

  afterEach(() => {
    unpacked.forEach((fn) => fn.remove());
    unpacked = [];
  });

  it('starts without Node reading source maps: they are read only when a stack is', () => {
    expect(unpack('getOrder').environment.NODE_OPTIONS ?? '').not.toContain('--enable-source-maps');
  });

  it('points a failed cold start at the TypeScript line that refused the setting', async () => {
    const watchdog = unpack('resolveStaleOrders');

    const { stderr } = await runAsLambda(watchdog, { PENDING_TIMEOUT_SECONDS: 'soon' });

    const report = JSON.parse(stderr.trim().split('\n').at(-1) as string) as { errorMessage: string; stack: string[] };
    expect(report.errorMessage).toContain('PENDING_TIMEOUT_SECONDS must be a whole number of seconds');
    const thrownAt = lineOf('src/adapters/wiring.ts', 'must be a whole number of seconds');
    expect(report.stack[1]).toMatch(new RegExp(`\\(src/adapters/wiring\\.ts:${thrownAt}:\\d+\\)$`));
    expect(report.stack.some((frame) => frame.includes('src/handlers/resolve-stale-orders.ts:'))).toBe(true);
  });

  describe('when DynamoDB refuses a read', () => {
    let dynamodb: Server;
    let endpoint: string;

    beforeAll(async () => {
      ({ dynamodb, endpoint } = await dynamoDbAnswering(400, {
        __type: 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException',
        message: 'Requested resource not found',
      }));
    });

    afterAll(() => new Promise((resolve) => dynamodb.close(resolve)));

    it('logs the error with its stack through the repository and the domain, in TypeScript', async () => {
      const getOrder = unpack('getOrder');
      const request = anHttpApiEvent({ method: 'GET', path: '/orders/o-1', pathParameters: { orderId: 'o-1' }, as: { customer: 'c-1' } });

      const { stderr } = await runAsLambda(getOrder, { AWS_ENDPOINT_URL_DYNAMODB: endpoint }, request);

      const logged = stderr
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { message: string; error?: { name: string; stack: string } })
        .find((line) => line.message === 'request failed');
      expect(logged?.error?.name).toBe('ResourceNotFoundException');
      const frames = logged?.error?.stack.split('\n') ?? [];
      const repositoryFrame = frames
        .map((frame) => /\(src\/adapters\/dynamodb-orders-repository\.ts:(\d+):\d+\)$/.exec(frame))
        .find(Boolean);
      expect(source('src/adapters/dynamodb-orders-repository.ts')[Number(repositoryFrame?.[1]) - 1]).toContain('this.client.send(');
      expect(frames.some((frame) => /\(src\/domain\/orders-service\.ts:\d+:\d+\)$/.test(frame))).toBe(true);
      expect(frames.some((frame) => frame.includes('.mjs:'))).toBe(false);
    });
  });

  describe('when the order does not exist', () => {
    let dynamodb: Server;
    let endpoint: string;

    beforeAll(async () => {
      // Every read finds nothing.
      ({ dynamodb, endpoint } = await dynamoDbAnswering(200, {}));
    });

    afterAll(() => new Promise((resolve) => dynamodb.close(resolve)));

    it("logs the refusal under the domain error's own name, which minifying would have renamed", async () => {
      const getOrder = unpack('getOrder');
      const request = anHttpApiEvent({
        method: 'GET',
        path: '/orders/o-404',
        pathParameters: { orderId: 'o-404' },
        as: { customer: 'c-1' },
      });

      const { stdout } = await runAsLambda(getOrder, { AWS_ENDPOINT_URL_DYNAMODB: endpoint, POWERTOOLS_LOG_LEVEL: 'INFO' }, request);

      const refused = stdout
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { message: string; error?: string })
        .find((line) => line.message === 'request refused');
      expect(refused?.error).toBe('OrderNotFoundError');
    });
  });
});
