/**
 * The SDK floor of an HTTP function's cold start: a minimal handler that makes the same first AWS SDK calls as the
 * function (the same clients, constructed as its adapters construct them, the same operations, in the same order)
 * and nothing else, bundled with the settings every function is bundled with. What a function takes over its floor
 * is the project's own code: handler wrappers, contracts, domain, adapters.
 *
 * Which calls a function makes is observed, not declared: one run of the function with a preload that listens to
 * Node's HTTP client diagnostics channel and reads each request's SigV4 scope (the service) and `x-amz-target` (the
 * operation of the JSON protocols: DynamoDB, Step Functions, Secrets Manager). It does not depend on how (or
 * whether) the project traces.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { baseBuildOptions } from './breakdown.ts';

/** One AWS SDK call as a function made it: the service its request was signed for, and the operation. */
export interface SdkCall {
  service: string;
  operation: string;
}

/** The table the floor's DynamoDB calls go to: the environment variable naming it (as the function's) and its key. */
export interface FloorTable {
  variable: string;
  hashKey: string;
  rangeKey?: string;
}

export interface FloorSpec {
  calls: SdkCall[];
  /** Whether the function's DynamoDB calls go through lib-dynamodb's DocumentClient (it is in the function's bundle). */
  documentClient: boolean;
  table?: FloorTable;
}

/**
 * The AWS SDK call a request stands for: the service from its SigV4 credential scope
 * (`Credential=<key>/<date>/<region>/<service>/aws4_request`), the operation from `x-amz-target` (the JSON protocols)
 * or else the HTTP method. A request that is not SigV4-signed (the payment provider, X-Ray) is no SDK call.
 */
export function sdkCallOf(authorization: unknown, target: unknown, method: string): SdkCall | undefined {
  const scope = /Credential=[^/]+\/\d+\/[^/]+\/([^/]+)\//.exec(String(authorization ?? ''));
  if (!scope) return undefined;
  return { service: scope[1] as string, operation: target === undefined ? method : (String(target).split('.').at(-1) as string) };
}

/**
 * The preload (`node --import`) of the run that observes a function's calls: every SDK call its requests stand for,
 * written as JSON on fd 4 when the process exits.
 */
export const CALL_OBSERVER = `import { subscribe } from 'node:diagnostics_channel';
import { writeSync } from 'node:fs';
const sdkCallOf = ${sdkCallOf.toString()};
const calls = [];
subscribe('http.client.request.start', ({ request }) => {
  const call = sdkCallOf(request.getHeader('authorization'), request.getHeader('x-amz-target'), request.method);
  if (call) calls.push(call);
});
process.on('exit', () => writeSync(4, JSON.stringify(calls)));
`;

/** What the floor sends for one operation: the command's input as JavaScript, and an error that counts as answered. */
interface Recipe {
  input: string;
  /** The error name this call is expected to end with (it is aimed at a resource that does not exist). */
  expected?: string;
}

interface Client {
  /** The package, the client class and the variable the generated handler holds it in. */
  pkg: string;
  className: string;
  variable: string;
  recipes: Record<string, () => Recipe>;
}

// Aimed at no real resource, so the floor's call is answered (an error the SDK parses) without starting anything.
const MISSING_STATE_MACHINE = 'arn:aws:states:${process.env.AWS_REGION}:000000000000:stateMachine:bench-sdk-floor';
const MISSING_EXECUTION = 'arn:aws:states:${process.env.AWS_REGION}:000000000000:execution:bench-sdk-floor:none';

// DynamoDB inputs as JavaScript, over `table`, `key()` (a new item's key) and `value(x)` (x as the client takes it).
const item = '{ ...key(), floor: value("floor") }';
const DYNAMODB_RECIPES: Record<string, () => Recipe> = {
  GetItem: () => ({ input: '{ TableName: table, Key: key() }' }),
  PutItem: () => ({ input: `{ TableName: table, Item: ${item} }` }),
  UpdateItem: () => ({
    input:
      '{ TableName: table, Key: key(), UpdateExpression: "SET #floor = :floor", ExpressionAttributeNames: { "#floor": "floor" }, ExpressionAttributeValues: { ":floor": value("floor") } }',
  }),
  DeleteItem: () => ({ input: '{ TableName: table, Key: key() }' }),
  Query: () => ({
    input:
      '{ TableName: table, KeyConditionExpression: "#hash = :hash", ExpressionAttributeNames: { "#hash": hashKey }, ExpressionAttributeValues: { ":hash": value(newId()) }, Limit: 20 }',
  }),
  Scan: () => ({ input: '{ TableName: table, Limit: 20 }' }),
  TransactWriteItems: () => ({ input: `{ TransactItems: [{ Put: { TableName: table, Item: ${item} } }] }` }),
  TransactGetItems: () => ({ input: '{ TransactItems: [{ Get: { TableName: table, Key: key() } }] }' }),
  BatchGetItem: () => ({ input: '{ RequestItems: { [table]: { Keys: [key()] } } }' }),
  BatchWriteItem: () => ({ input: `{ RequestItems: { [table]: [{ PutRequest: { Item: ${item} } }] } }` }),
};

const CLIENTS: Record<string, Client> = {
  dynamodb: { pkg: '@aws-sdk/client-dynamodb', className: 'DynamoDBClient', variable: 'dynamodb', recipes: DYNAMODB_RECIPES },
  states: {
    pkg: '@aws-sdk/client-sfn',
    className: 'SFNClient',
    variable: 'sfn',
    recipes: {
      StartExecution: () => ({
        input: `{ stateMachineArn: \`${MISSING_STATE_MACHINE}\`, name: newId().replace('#', '-'), input: "{}" }`,
        expected: 'StateMachineDoesNotExist',
      }),
      StopExecution: () => ({ input: `{ executionArn: \`${MISSING_EXECUTION}\` }`, expected: 'ExecutionDoesNotExist' }),
      DescribeExecution: () => ({ input: `{ executionArn: \`${MISSING_EXECUTION}\` }`, expected: 'ExecutionDoesNotExist' }),
    },
  },
  secretsmanager: {
    pkg: '@aws-sdk/client-secrets-manager',
    className: 'SecretsManagerClient',
    variable: 'secrets',
    recipes: {
      GetSecretValue: () => ({ input: '{ SecretId: "bench-sdk-floor" }', expected: 'ResourceNotFoundException' }),
    },
  },
};

/** lib-dynamodb's command for each DynamoDB operation (its commands marshal plain values). */
const DOCUMENT_COMMANDS: Record<string, string> = {
  GetItem: 'GetCommand',
  PutItem: 'PutCommand',
  UpdateItem: 'UpdateCommand',
  DeleteItem: 'DeleteCommand',
  Query: 'QueryCommand',
  Scan: 'ScanCommand',
  TransactWriteItems: 'TransactWriteCommand',
  TransactGetItems: 'TransactGetCommand',
  BatchGetItem: 'BatchGetCommand',
  BatchWriteItem: 'BatchWriteCommand',
};

/** The calls a floor handler makes, each with its client and command; throws for a call it has no recipe for. */
export function floorCalls(spec: FloorSpec): { call: SdkCall; client: Client; command: string; recipe: Recipe }[] {
  return spec.calls.map((call) => {
    const client = CLIENTS[call.service];
    const recipe = client?.recipes[call.operation];
    if (!client || !recipe)
      throw new Error(
        `The SDK floor has no recipe for ${call.service} ${call.operation}: add one to tools/bench/src/cold-starts/sdk-floor.ts`,
      );
    if (call.service === 'dynamodb' && !spec.table) throw new Error(`${call.operation} needs the table the function uses`);
    const command =
      call.service === 'dynamodb' && spec.documentClient ? (DOCUMENT_COMMANDS[call.operation] as string) : `${call.operation}Command`;
    return { call, client, command, recipe: recipe() };
  });
}

/**
 * The floor's handler (an ES module): imports the clients the calls need, constructs each as the function's adapters
 * do (`new XClient({})`, the DocumentClient with libs/dynamodb's marshalling options), and sends the calls one after
 * the other. It answers 200 when every call was answered as expected, else 500 with what went wrong.
 */
export function floorHandlerSource(spec: FloorSpec): string {
  const calls = floorCalls(spec);
  const clients = [...new Map(calls.map(({ client }) => [client.pkg, client])).values()];
  const commandsOf = (pkg: string) => [...new Set(calls.filter((c) => c.client.pkg === pkg).map((c) => c.command))];
  const usesDocumentClient = spec.documentClient && calls.some(({ call }) => call.service === 'dynamodb');
  const imports = clients.map((client) => {
    const fromClient = usesDocumentClient && client.variable === 'dynamodb' ? [] : commandsOf(client.pkg);
    return `import { ${[client.className, ...fromClient].join(', ')} } from '${client.pkg}';`;
  });
  if (usesDocumentClient)
    imports.push(`import { DynamoDBDocumentClient, ${commandsOf(CLIENTS.dynamodb!.pkg).join(', ')} } from '@aws-sdk/lib-dynamodb';`);
  const construct = clients.map((client) =>
    client.variable === 'dynamodb' && usesDocumentClient
      ? 'const dynamodb = DynamoDBDocumentClient.from(new DynamoDBClient({}), {\n  marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },\n});'
      : `const ${client.variable} = new ${client.className}({});`,
  );
  const table = spec.table;
  const tableLines = table
    ? [
        `const table = process.env[${JSON.stringify(table.variable)}];`,
        `const hashKey = ${JSON.stringify(table.hashKey)};`,
        spec.documentClient ? 'const value = (x) => x;' : 'const value = (x) => ({ S: x });',
        `const key = () => ({ [hashKey]: value(newId())${table.rangeKey ? `, ${JSON.stringify(table.rangeKey)}: value('FLOOR')` : ''} });`,
      ]
    : [];
  const sends = calls.map(
    ({ call, client, command, recipe }) =>
      `  await answered(${JSON.stringify(`${call.service} ${call.operation}`)}, ${client.variable}.send(new ${command}(${recipe.input})), ${JSON.stringify(recipe.expected ?? null)});`,
  );
  return [
    '// Generated by the cold-start bench: the SDK floor of one function (tools/bench/src/cold-starts/sdk-floor.ts).',
    ...imports,
    '',
    ...construct,
    'const newId = () => `BENCH-FLOOR#${globalThis.crypto.randomUUID()}`;',
    ...tableLines,
    '',
    'export const handler = async () => {',
    '  const failed = [];',
    '  const answered = (name, sent, expected) =>',
    '    sent.then(',
    '      () => expected === null || failed.push(`${name}: answered, expected ${expected}`),',
    '      (error) => error?.name === expected || failed.push(`${name}: ${error?.name} ${error?.message}`),',
    '    );',
    ...sends,
    '  return { statusCode: failed.length ? 500 : 200, body: JSON.stringify({ failed }) };',
    '};',
    '',
  ].join('\n');
}

/**
 * The floor bundled as the function is (the base config's esbuild options and plugins: the same aliases, so the same
 * SDK trimming), resolving packages from the function's service. Returns the bundle's path.
 */
export async function buildFloorBundle(spec: FloorSpec, serviceDir: string, outDir: string): Promise<string> {
  const source = floorHandlerSource(spec);
  const outfile = join(outDir, 'floor.mjs');
  // The generated source beside its bundle, for a reader of the bench's work folder.
  writeFileSync(join(outDir, 'floor-source.mjs'), source);
  await build({
    ...(await baseBuildOptions()),
    stdin: { contents: source, resolveDir: serviceDir, sourcefile: 'sdk-floor.mjs', loader: 'js' },
    absWorkingDir: serviceDir,
    outfile,
    logLevel: 'silent',
  });
  return outfile;
}
