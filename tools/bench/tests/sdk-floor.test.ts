import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { type FloorSpec, floorCalls, floorHandlerSource, sdkCallOf } from '../src/cold-starts/sdk-floor.ts';
import { rotation } from '../src/figures.ts';

const ordersTable = { variable: 'ORDERS_TABLE', hashKey: 'PK', rangeKey: 'SK' };

interface Sent {
  client: string;
  command: string;
  input: Record<string, unknown>;
}

/**
 * Stand-ins for the `@aws-sdk/*` packages the generated handler imports: every client records what it is sent and
 * answers (or fails with the error `failWith` names for that command), so the handler runs without any network.
 */
function fakeSdk(failWith: Record<string, string>): Plugin {
  return {
    name: 'fake-sdk',
    setup(setup) {
      setup.onResolve({ filter: /^@aws-sdk\// }, ({ path }) => ({ path, namespace: 'fake-sdk' }));
      setup.onLoad({ filter: /.*/, namespace: 'fake-sdk' }, ({ path }) => {
        const names = path === '@aws-sdk/lib-dynamodb' ? DOCUMENT_NAMES : CLIENT_NAMES;
        const send = `send(command) {
            const sent = globalThis.floorTest.sent;
            sent.push({ client: this.name, command: command.constructor.name, input: command.input });
            const error = ${JSON.stringify(failWith)}[command.constructor.name];
            return error ? Promise.reject(Object.assign(new Error('refused'), { name: error })) : Promise.resolve({});
          }`;
        const contents = names
          .map((name) =>
            name.endsWith('Command')
              ? `export class ${name} { constructor(input) { this.input = input; } }`
              : name === 'DynamoDBDocumentClient'
                ? `export class ${name} { static from(client, options) { globalThis.floorTest.documentClient = { wraps: client.name, options }; const c = new ${name}(); c.name = 'DynamoDBDocumentClient'; return c; } ${send} }`
                : `export class ${name} { constructor(config) { this.name = '${name}'; globalThis.floorTest.configs.push(config); } ${send} }`,
          )
          .join('\n');
        return { contents, loader: 'js' };
      });
    },
  };
}
const CLIENT_NAMES = [
  'DynamoDBClient',
  'SFNClient',
  'SecretsManagerClient',
  'GetItemCommand',
  'QueryCommand',
  'TransactWriteItemsCommand',
  'StartExecutionCommand',
  'GetSecretValueCommand',
];
const DOCUMENT_NAMES = ['DynamoDBDocumentClient', 'GetCommand', 'QueryCommand', 'PutCommand', 'UpdateCommand', 'TransactWriteCommand'];

/** Bundles the generated handler over the stand-ins, runs it once, and returns what it answered and sent. */
async function runFloor(spec: FloorSpec, failWith: Record<string, string> = {}, env: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'sdk-floor-test-'));
  try {
    const result = await build({
      stdin: { contents: floorHandlerSource(spec), loader: 'js', resolveDir: dir },
      bundle: true,
      format: 'esm',
      platform: 'node',
      write: false,
      plugins: [fakeSdk(failWith)],
    });
    const file = join(dir, 'floor.mjs');
    writeFileSync(file, result.outputFiles[0]?.text ?? '');
    const state = { sent: [] as Sent[], configs: [] as unknown[], documentClient: undefined as unknown };
    Object.assign(globalThis, { floorTest: state });
    const saved = { ...process.env };
    Object.assign(process.env, { AWS_REGION: 'us-east-1', ORDERS_TABLE: 'storefront-orders-local', ...env });
    const { handler } = (await import(pathToFileURL(file).href)) as { handler: () => Promise<{ statusCode: number; body: string }> };
    const answer = await handler().finally(() => {
      process.env = saved;
    });
    return { answer: { statusCode: answer.statusCode, failed: (JSON.parse(answer.body) as { failed: string[] }).failed }, ...state };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the SDK call a request stands for', () => {
  const authorization =
    'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261207/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=abc';

  it('names the service it was signed for and the operation of its x-amz-target', () => {
    expect(sdkCallOf(authorization, 'DynamoDB_20120810.GetItem', 'POST')).toEqual({ service: 'dynamodb', operation: 'GetItem' });
  });

  it('falls back to the HTTP method where the protocol has no target (REST, S3)', () => {
    expect(sdkCallOf(authorization.replace('dynamodb', 's3'), undefined, 'PUT')).toEqual({ service: 's3', operation: 'PUT' });
  });

  it('is no SDK call when the request is not SigV4-signed', () => {
    expect(sdkCallOf('Bearer sk_test_123', undefined, 'POST')).toBeUndefined();
    expect(sdkCallOf(undefined, undefined, 'GET')).toBeUndefined();
  });
});

describe("a function's SDK floor", () => {
  it("goes through lib-dynamodb's DocumentClient when the function bundles it, and the client's own commands when not", () => {
    const calls = [
      { service: 'dynamodb', operation: 'GetItem' },
      { service: 'dynamodb', operation: 'TransactWriteItems' },
    ];
    expect(floorCalls({ calls, documentClient: true, table: ordersTable }).map((c) => c.command)).toEqual([
      'GetCommand',
      'TransactWriteCommand',
    ]);
    expect(floorCalls({ calls, documentClient: false, table: ordersTable }).map((c) => c.command)).toEqual([
      'GetItemCommand',
      'TransactWriteItemsCommand',
    ]);
  });

  it('refuses a call it has no recipe for, saying where to add one', () => {
    expect(() => floorCalls({ calls: [{ service: 'kinesis', operation: 'PutRecord' }], documentClient: false })).toThrow(
      /no recipe for kinesis PutRecord: add one to tools\/bench\/src\/cold-starts\/sdk-floor\.ts/,
    );
  });

  it("sends the function's calls in its order, through a DocumentClient built as libs/dynamodb builds it, to the table its environment names", async () => {
    const run = await runFloor({
      calls: [
        { service: 'dynamodb', operation: 'GetItem' },
        { service: 'dynamodb', operation: 'Query' },
      ],
      documentClient: true,
      table: ordersTable,
    });

    expect(run.answer).toEqual({ statusCode: 200, failed: [] });
    expect(run.configs).toEqual([{}]);
    expect(run.documentClient).toEqual({
      wraps: 'DynamoDBClient',
      options: { marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false } },
    });
    expect(run.sent.map(({ client, command }) => `${client} ${command}`)).toEqual([
      'DynamoDBDocumentClient GetCommand',
      'DynamoDBDocumentClient QueryCommand',
    ]);
    const [get, query] = run.sent;
    expect(get?.input).toEqual({ TableName: 'storefront-orders-local', Key: { PK: expect.stringMatching(/^BENCH-FLOOR#/), SK: 'FLOOR' } });
    expect(query?.input).toMatchObject({ TableName: 'storefront-orders-local', ExpressionAttributeNames: { '#hash': 'PK' } });
  });

  it('writes attribute values in the low-level form without the DocumentClient', async () => {
    const run = await runFloor({
      calls: [{ service: 'dynamodb', operation: 'TransactWriteItems' }],
      documentClient: false,
      table: ordersTable,
    });

    expect(run.documentClient).toBeUndefined();
    expect(run.sent[0]).toMatchObject({
      client: 'DynamoDBClient',
      command: 'TransactWriteItemsCommand',
      input: { TransactItems: [{ Put: { TableName: 'storefront-orders-local', Item: { SK: { S: 'FLOOR' }, floor: { S: 'floor' } } } }] },
    });
  });

  it('aims a workflow start at no real state machine, and counts its refusal as the answer', async () => {
    const calls = [
      { service: 'dynamodb', operation: 'GetItem' },
      { service: 'states', operation: 'StartExecution' },
    ];
    const run = await runFloor({ calls, documentClient: true, table: ordersTable }, { StartExecutionCommand: 'StateMachineDoesNotExist' });

    expect(run.answer).toEqual({ statusCode: 200, failed: [] });
    expect(run.configs).toEqual([{}, {}]);
    expect(run.sent[1]).toMatchObject({
      client: 'SFNClient',
      command: 'StartExecutionCommand',
      input: { stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:bench-sdk-floor', input: '{}' },
    });
  });

  it('answers 500 naming the call when a call fails otherwise than expected', async () => {
    const run = await runFloor(
      { calls: [{ service: 'dynamodb', operation: 'GetItem' }], documentClient: true, table: ordersTable },
      {
        GetCommand: 'ResourceNotFoundException',
      },
    );

    expect(run.answer).toEqual({ statusCode: 500, failed: ['dynamodb GetItem: ResourceNotFoundException refused'] });
  });
});

describe('the order of the runs in a round', () => {
  it('puts each run first, second and third equally often, in every order once over six rounds', () => {
    const rounds = Array.from({ length: 6 }, (_, round) => rotation(['empty', 'function', 'floor'], round).join(' '));

    expect(new Set(rounds).size).toBe(6);
  });

  it('alternates a pair', () => {
    expect(Array.from({ length: 4 }, (_, round) => rotation(['empty', 'function'], round)[0])).toEqual([
      'empty',
      'function',
      'function',
      'empty',
    ]);
  });
});
