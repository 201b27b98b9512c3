import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, type BuildOptions, type Metafile } from 'esbuild';
import plugins from '../../bundling/esbuild-plugins.ts';

const workspaceRoot = join(import.meta.dirname, '../../../..');
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the base config is CommonJS, as the framework loads it
const { bundleOptions } = require('../../serverless.base.cjs') as { bundleOptions: BuildOptions };

let outdir: string;
beforeEach(() => {
  outdir = mkdtempSync(join(tmpdir(), 'bundling-'));
});
afterEach(() => rmSync(outdir, { recursive: true, force: true }));

/** A handler module bundled as every service bundles its handlers: its code, the files it pulled in, and where it is. */
async function bundle(code: string): Promise<{ text: string; inputs: string[]; file: string }> {
  const result = await build({
    ...bundleOptions,
    plugins,
    stdin: { contents: code, resolveDir: workspaceRoot, sourcefile: 'handler.ts', loader: 'ts' },
    outfile: join(outdir, 'handler.mjs'),
    metafile: true,
    logLevel: 'silent',
  });
  const output = Object.values((result.metafile as Metafile).outputs).find((o) => o.entryPoint) as Metafile['outputs'][string];
  const file = join(outdir, 'handler.mjs');
  return { text: readFileSync(file, 'utf8'), inputs: Object.keys(output.inputs), file };
}

describe('the bundles every service builds', () => {
  it('take built-ins through process.getBuiltinModule, so Node builds no module facade of them', async () => {
    const { text } = await bundle(
      "import { Agent } from 'node:http';\nimport { createHash } from 'crypto';\nexport const parts = [Agent, createHash];",
    );

    expect(text).toContain('process.getBuiltinModule("node:http")');
    expect(text).toContain('process.getBuiltinModule("node:crypto")');
    expect(text).not.toMatch(/from\s*"(node:)?(http|crypto)"/);
  });

  it('leave the DynamoDB client out of a function that only reads stream records', async () => {
    const { inputs } = await bundle(
      "import { unmarshall } from '@aws-sdk/util-dynamodb';\nimport '@aws-sdk/lib-dynamodb';\nexport const handler = (image: never) => unmarshall(image);",
    );

    expect(inputs.filter((input) => /client-dynamodb|lib-dynamodb\/dist-es\/(pagination|commands)/.test(input))).toEqual([]);
  });

  describe('with an AWS SDK client', () => {
    let endpoint: Server;
    let seen: { headers: IncomingHttpHeaders; body: string }[];

    beforeAll(async () => {
      endpoint = createServer((request, response) => {
        let body = '';
        request.on('data', (chunk) => (body += chunk));
        request.on('end', () => {
          seen.push({ headers: request.headers, body });
          response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'r-1' });
          response.end('{"Item":{"PK":{"S":"ORDER#o-1"}}}');
        });
      });
      await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
    });
    beforeEach(() => {
      seen = [];
    });
    afterAll(() => new Promise((resolve) => endpoint.close(resolve)));

    const getItemHandler = `import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
const client = new DynamoDBClient({});
export const item = async () => (await client.send(new GetItemCommand({ TableName: 'orders', Key: { PK: { S: 'ORDER#o-1' } } }))).Item;`;

    it('leave out event streams, endpoint discovery and the SDK files no Lambda function reaches', async () => {
      const { inputs, text } = await bundle(getItemHandler);

      const leftOut = [
        '@smithy/core/dist-es/submodules/event-streams/',
        '@aws-sdk/middleware-endpoint-discovery/',
        '@aws-sdk/endpoint-cache/',
        'mnemonist/',
        'util-retry/DefaultRateLimiter.js',
      ];
      expect(leftOut.filter((path) => inputs.some((input) => input.includes(path)))).toEqual([]);
      // Files the client imports but never reaches on Lambda are bundled as their stand-ins.
      expect(
        ['Sha256Js', 'The adaptive retry mode', 'Event-stream signing'].filter((what) => !text.includes(`${what} is not bundled`)),
      ).toEqual([]);
    });

    it('still sign and send a call, and read its answer, in a Node process of their own', async () => {
      const { file } = await bundle(getItemHandler);
      const script = `const { item } = await import(${JSON.stringify(file)}); process.stdout.write(JSON.stringify(await item()));`;

      // Not spawnSync: the endpoint answers from this process, whose event loop must keep running.
      const run = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
        encoding: 'utf8',
        env: {
          PATH: process.env.PATH,
          AWS_REGION: 'eu-west-1',
          AWS_ACCESS_KEY_ID: 'AKIDTEST',
          AWS_SECRET_ACCESS_KEY: 'secret',
          AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}`,
        },
      });

      expect(run.stderr).toBe('');
      expect(JSON.parse(run.stdout)).toEqual({ PK: { S: 'ORDER#o-1' } });
      expect(seen).toHaveLength(1);
      expect(seen[0]?.headers['x-amz-target']).toBe('DynamoDB_20120810.GetItem');
      expect(seen[0]?.headers.authorization).toMatch(
        /^AWS4-HMAC-SHA256 Credential=AKIDTEST\/\d{8}\/eu-west-1\/dynamodb\/aws4_request, SignedHeaders=.+, Signature=[0-9a-f]{64}$/,
      );
    });
  });

  it('map an error thrown in the bundle to its TypeScript line, when its stack is read', async () => {
    const { file } = await bundle("export function refuse(): never {\n  throw new Error('refused');\n}");
    writeFileSync(
      join(outdir, 'run.mjs'),
      `import { refuse } from './handler.mjs';\ntry { refuse(); } catch (error) { console.log(error.stack); }`,
    );

    const run = spawnSync(process.execPath, [join(outdir, 'run.mjs')], { encoding: 'utf8' });

    expect(file.endsWith('.mjs')).toBe(true);
    expect(run.stdout.split('\n').slice(0, 2)).toEqual([
      'Error: refused',
      expect.stringMatching(/^ {4}at \S+ \((?:\S+\/)?handler\.ts:2:9\)$/),
    ]);
  });
});
