import { createSocket, type Socket } from 'node:dgram';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { CheckoutInput } from '@storefront/contracts';
import { aLambdaContext, anHttpApiEvent } from '@storefront/testing';
import { httpHandler, logger, workflowTaskHandler } from '../../src';

const TRACE_ROOT = '1-67891233-abcdef012345678912345678';
const FUNCTION_SEGMENT = '53995c3f42cd8ad8';

interface Document {
  name: string;
  id: string;
  trace_id: string;
  parent_id: string;
  type: string;
  start_time: number;
  end_time: number;
  annotations?: Record<string, unknown>;
  fault?: boolean;
  error?: boolean;
  cause?: { exceptions: { type: string; message: string }[] };
  subsegments?: (Omit<Document, 'trace_id' | 'parent_id' | 'type'> & {
    namespace: string;
    aws?: Record<string, string>;
    http?: { request?: { method: string; url: string }; response?: { status: number } };
  })[];
}

/** The X-Ray daemon's side: every segment document that arrives on its UDP port. */
let daemon: Socket;
let received: Document[] = [];
/** An AWS endpoint (DynamoDB's GetItem) and a plain HTTP one (the payment provider) in one server. */
let endpoint: Server;
let endpointUrl: string;
let dynamodb: DynamoDBClient;

const lambdaEnvironment = () => ({
  AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
  _X_AMZN_TRACE_ID: `Root=${TRACE_ROOT};Parent=${FUNCTION_SEGMENT};Sampled=1`,
  AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${daemon.address().port}`,
  _HANDLER: 'src/handlers/get-order.handler',
  POWERTOOLS_SERVICE_NAME: 'storefront-orders',
});

async function documentsAfter(action: () => Promise<unknown>, expected = 1): Promise<Document[]> {
  received = [];
  await action().catch(() => undefined);
  for (let waited = 0; received.length < expected && waited < 2000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
  return received;
}

const getItem = () => dynamodb.send(new GetItemCommand({ TableName: 'orders', Key: { PK: { S: 'ORDER#o-1' } } }));
const orderRoute = (status: number) =>
  httpHandler({}, async () => {
    await getItem();
    return { statusCode: status };
  });

beforeAll(async () => {
  daemon = createSocket('udp4');
  daemon.on('message', (message) => received.push(JSON.parse(message.toString().split('\n')[1] as string) as Document));
  await new Promise<void>((resolve) => daemon.bind(0, '127.0.0.1', resolve));
  endpoint = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'dynamodb-request-1' });
      response.end(request.url === '/v1/payment_intents' ? '{"id":"pi_1"}' : '{}');
    });
  });
  await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
  endpointUrl = `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}`;
  dynamodb = new DynamoDBClient({
    endpoint: endpointUrl,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  logger.setLogLevel('SILENT');
});

afterAll(async () => {
  dynamodb.destroy();
  daemon.close();
  await new Promise((resolve) => endpoint.close(resolve));
});

const savedEnvironment = { ...process.env };
afterEach(() => {
  process.env = { ...savedEnvironment };
});

describe('an HTTP route on Lambda, its trace sampled', () => {
  beforeEach(() => Object.assign(process.env, lambdaEnvironment()));

  it("sends the handler's subsegment under the function's segment, with a subsegment for each AWS call", async () => {
    const [document] = await documentsAfter(() => orderRoute(200)(anHttpApiEvent(), aLambdaContext()));

    expect(document).toMatchObject({
      name: '## src/handlers/get-order.handler',
      trace_id: TRACE_ROOT,
      parent_id: FUNCTION_SEGMENT,
      type: 'subsegment',
      annotations: { Service: 'storefront-orders' },
    });
    expect(document?.subsegments).toEqual([
      expect.objectContaining({
        name: 'DynamoDB',
        namespace: 'aws',
        aws: { operation: 'GetItem', region: 'eu-west-1', request_id: 'dynamodb-request-1' },
        http: { response: { status: 200 } },
      }),
    ]);
    const [call] = document?.subsegments ?? [];
    expect(call && document && call.start_time >= document.start_time && call.end_time <= document.end_time).toBe(true);
  });

  it('marks only the first invocation of the sandbox as its cold start', async () => {
    let sandbox: typeof import('../../src') | undefined;
    await jest.isolateModulesAsync(async () => {
      sandbox = await import('../../src');
    });
    const route = (sandbox as typeof import('../../src')).httpHandler({}, async () => ({ statusCode: 200 }));

    const [first] = await documentsAfter(() => route(anHttpApiEvent(), aLambdaContext()));
    const [second] = await documentsAfter(() => route(anHttpApiEvent(), aLambdaContext()));

    expect([first?.annotations?.ColdStart, second?.annotations?.ColdStart]).toEqual([true, false]);
  });

  it('marks a 5xx answer a fault and a 4xx an error', async () => {
    const [failed] = await documentsAfter(() => orderRoute(503)(anHttpApiEvent(), aLambdaContext()));
    const [refused] = await documentsAfter(() => orderRoute(404)(anHttpApiEvent(), aLambdaContext()));

    expect([failed?.fault, failed?.error, refused?.fault, refused?.error]).toEqual([true, undefined, undefined, true]);
  });

  it('traces a call to a service outside AWS by its host and path', async () => {
    const route = httpHandler({}, async () => {
      await (await fetch(`${endpointUrl}/v1/payment_intents?expand=latest_charge`, { method: 'POST' })).text();
      return { statusCode: 200 };
    });

    const [document] = await documentsAfter(() => route(anHttpApiEvent(), aLambdaContext()));

    expect(document?.subsegments).toEqual([
      expect.objectContaining({
        name: new URL(endpointUrl).host,
        namespace: 'remote',
        http: { request: { method: 'POST', url: `${endpointUrl}/v1/payment_intents` }, response: { status: 200 } },
      }),
    ]);
  });
});

describe('a workflow task on Lambda, its trace sampled', () => {
  beforeEach(() => Object.assign(process.env, lambdaEnvironment()));

  it('marks a task that throws a fault, naming the error', async () => {
    const task = workflowTaskHandler(CheckoutInput, async () => {
      await getItem();
      throw Object.assign(new Error('the provider did not answer'), { name: 'ProviderTimeoutError' });
    });

    const [document] = await documentsAfter(() => task({ orderId: 'o-1', correlationId: 'c-1' }, aLambdaContext()));

    expect(document).toMatchObject({
      fault: true,
      cause: { exceptions: [{ type: 'ProviderTimeoutError', message: 'the provider did not answer' }] },
    });
    expect(document?.subsegments?.map((call) => call.aws?.operation)).toEqual(['GetItem']);
  });
});

describe('where nothing is traced', () => {
  it.each([
    ['under serverless-offline (no Lambda execution environment)', { AWS_EXECUTION_ENV: undefined }],
    ['when Lambda did not sample the invocation', { _X_AMZN_TRACE_ID: `Root=${TRACE_ROOT};Parent=${FUNCTION_SEGMENT};Sampled=0` }],
    ['when POWERTOOLS_TRACE_ENABLED is false', { POWERTOOLS_TRACE_ENABLED: 'false' }],
  ])('sends nothing %s', async (_case, overrides) => {
    Object.assign(process.env, lambdaEnvironment(), overrides);
    for (const [name, value] of Object.entries(overrides)) if (value === undefined) delete process.env[name];

    const documents = await documentsAfter(() => orderRoute(200)(anHttpApiEvent(), aLambdaContext()), 0);
    await new Promise((resolve) => setTimeout(resolve, 100));

    expect([documents, received]).toEqual([[], []]);
  });
});
