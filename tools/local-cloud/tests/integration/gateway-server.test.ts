import { once } from 'node:events';
import { Agent, createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { freePort } from '@storefront/testing';
import { FunctionConcurrency } from '../../src/stack/concurrency.ts';
import { compileRoute, REQUEST_AS_SENT_HEADER, startGateway } from '../../src/gateway/gateway.ts';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  socket: unknown;
}

const MAX_BODY_BYTES = 1024;
let upstream: Server;
let gateway: { url: string; close(): Promise<void> };
let gatewayPort: number;
let inFlight = 0;
let mostInFlight = 0;
const logged: string[] = [];

/** Stands in for a service's serverless-offline: answers the way offline does, one behaviour per path. */
function fakeOffline(req: IncomingMessage, res: ServerResponse) {
  const json = (status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  };
  if (req.url === '/echo') {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => json(200, { received: req.headers, body: Buffer.concat(chunks).toString('utf8') }));
    return;
  }
  req.resume();
  if (req.url === '/orders') {
    inFlight += 1;
    mostInFlight = Math.max(mostInFlight, inFlight);
    setTimeout(() => {
      inFlight -= 1;
      json(201, { orderId: 'o-1', correlationId: req.headers['x-correlation-id'] });
    }, 300);
  } else if (req.url === '/timeout')
    json(200, { errorMessage: '[504] - Lambda timeout.', errorType: 'LambdaTimeoutError', stackTrace: [] });
  else if (req.url === '/crash')
    json(200, { errorMessage: 'Cannot read properties of undefined', errorType: 'TypeError', stackTrace: ['at h'] });
  // /hang: never answers.
}

const portOf = (server: Server) => (server.address() as AddressInfo).port;

beforeAll(async () => {
  upstream = createServer(fakeOffline);
  upstream.listen(0, '127.0.0.1');
  await once(upstream, 'listening');
  const deadPort = await freePort();
  const target = (functionName: string, port = portOf(upstream), timeoutMs = 5000) => ({
    service: 'orders',
    port,
    functionName,
    timeoutMs,
  });
  const routes = [
    compileRoute('POST /orders', target('placeOrder')),
    compileRoute('GET /timeout', target('slowFunction')),
    compileRoute('GET /crash', target('brokenFunction')),
    compileRoute('GET /hang', target('stuckFunction', portOf(upstream), 300)),
    compileRoute('GET /down', target('missingFunction', deadPort)),
    compileRoute('POST /echo', target('echoFunction')),
  ];
  const concurrency = new FunctionConcurrency({ maxInFlight: 2, maxQueued: 3 });
  gatewayPort = await freePort();
  gateway = await startGateway({
    port: gatewayPort,
    routes,
    log: (line: string) => logged.push(line),
    trail: undefined,
    concurrency,
    maxBodyBytes: MAX_BODY_BYTES,
  });
});

afterAll(async () => {
  await gateway?.close();
  upstream?.closeAllConnections();
  upstream?.close();
});

function call(method: string, path: string, { body, agent, chunked = false }: { body?: string; agent?: Agent; chunked?: boolean } = {}) {
  return new Promise<Answer>((resolve, reject) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (body !== undefined && !chunked) headers['content-length'] = String(Buffer.byteLength(body));
    const req = request({ host: '127.0.0.1', port: gatewayPort, method, path, headers, agent: agent ?? false }, (res) => {
      let text = '';
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text, socket: req.socket }));
    });
    req.on('error', reject);
    if (chunked && body !== undefined) for (let i = 0; i < body.length; i += 512) req.write(body.slice(i, i + 512));
    req.end(chunked ? undefined : body);
  });
}

const problemOf = (answer: Answer) => {
  expect(answer.headers['content-type']).toBe('application/problem+json');
  return JSON.parse(answer.body);
};

describe('the local gateway', () => {
  it('lets two invocations of a function run at once, queues three, and answers the rest 429 problem+json', async () => {
    const answers = await Promise.all(Array.from({ length: 8 }, () => call('POST', '/orders', { body: '{}' })));

    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429, 429, 429]);
    expect(mostInFlight).toBe(2);
    const throttled = answers.find((a) => a.status === 429) as Answer;
    expect(problemOf(throttled)).toMatchObject({ status: 429, title: 'Too many requests' });
    expect(throttled.headers['retry-after']).toBe('1');
  });

  it('answers a function that timed out with 504 and one that threw with 500, never 200', async () => {
    const timedOut = await call('GET', '/timeout');
    const crashed = await call('GET', '/crash');

    expect(problemOf(timedOut)).toMatchObject({ status: 504, title: 'Gateway timeout' });
    expect(problemOf(crashed)).toMatchObject({ status: 500, title: 'Internal error' });
    expect(crashed.body).not.toContain('Cannot read properties');
    expect(logged.join('\n')).toContain('TypeError: Cannot read properties of undefined');
  });

  it("answers 504 when the service does not answer within the route's integration timeout", async () => {
    const answer = await call('GET', '/hang');

    expect(problemOf(answer)).toMatchObject({ status: 504, detail: 'The stuckFunction function did not answer within 300 ms' });
  });

  it('answers 502 problem+json when the service is not there', async () => {
    const answer = await call('GET', '/down');

    expect(problemOf(answer)).toMatchObject({ status: 502, title: 'Bad gateway' });
  });

  it('answers 413 for a body over the limit, declared or chunked, and serves the next request on the same connection', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const oversized = `"${'x'.repeat(MAX_BODY_BYTES * 3)}"`;

    const declared = await call('POST', '/orders', { body: oversized, agent });
    const chunked = await call('POST', '/orders', { body: oversized, agent, chunked: true });
    const next = await call('POST', '/orders', { body: '{}', agent });
    agent.destroy();

    expect(problemOf(declared)).toMatchObject({ status: 413, title: 'Payload too large' });
    expect(problemOf(chunked).status).toBe(413);
    expect(next.status).toBe(201);
    expect(next.socket).toBe(declared.socket);
  });

  it('answers a malformed percent-encoding with 400 problem+json, on any route', async () => {
    const answer = await call('GET', '/orders/%E0%A4%A');

    expect(problemOf(answer)).toMatchObject({ status: 400, detail: 'The URL holds a malformed percent-encoding' });
  });

  it('answers a request it cannot parse as HTTP with 400 problem+json', async () => {
    const socket = connect(gatewayPort, '127.0.0.1');
    await once(socket, 'connect');
    socket.end('NOT HTTP AT ALL\r\n\r\n');
    let raw = '';
    for await (const chunk of socket) raw += chunk;

    expect(raw).toMatch(/^HTTP\/1.1 400 Bad request\r\n/);
    expect(raw).toContain('content-type: application/problem+json');
    expect(JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4))).toMatchObject({ status: 400, title: 'Bad request' });
  });
});

/** Sends these exact bytes as a request and reads what the stand-in for offline says it received. */
async function sendRaw(head: string, body: string) {
  const socket = connect(gatewayPort, '127.0.0.1');
  await once(socket, 'connect');
  // Written, not ended: a client that half-closes its side has its pending request dropped by Node's server.
  socket.write(`${head}content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
  let raw = '';
  for await (const chunk of socket) raw += chunk;
  const { received, body: forwarded } = JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4));
  return { offline: received as Record<string, string>, asSent: JSON.parse(received[REQUEST_AS_SENT_HEADER]), body: forwarded as string };
}

describe('what the gateway hands serverless-offline', () => {
  it("carries the client's headers as sent, a repeated content type and cookies included, and none of them to offline itself", async () => {
    const { offline, asSent } = await sendRaw(
      'POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\ncontent-type: text/plain\r\nX-Tag: a\r\nCookie: a=1; b=2\r\n',
      '{}',
    );

    expect(asSent).toEqual({
      headers: { host: 'localhost', 'content-type': 'application/json,text/plain', 'x-tag': 'a', 'content-length': '2' },
      cookies: ['a=1', 'b=2'],
      requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(offline['content-type']).toBe('text/plain');
    expect(offline).not.toHaveProperty('x-tag');
    expect(offline).not.toHaveProperty('cookie');
  });

  it('keeps an empty content type empty and adds none where the client sent none', async () => {
    const empty = await sendRaw('POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Type: \r\n', '{"a":1}');
    const none = await sendRaw('POST /echo HTTP/1.1\r\nHost: localhost\r\n', '{"a":1}');

    expect(empty.asSent.headers['content-type']).toBe('');
    expect(none.asSent.headers).not.toHaveProperty('content-type');
    expect(none.asSent.requestId).not.toBe(empty.asSent.requestId);
  });

  it('hands offline the body byte for byte, a JSON string as much as an object', async () => {
    const nested = JSON.stringify(JSON.stringify({ customerId: 'c-1' }));

    const { body, offline } = await sendRaw('POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n', nested);

    // offline parses a body it is told is JSON (or told nothing of: hapi's default) and hands the function the parsed
    // value; told text, it hands the text.
    expect(offline['content-type']).toBe('text/plain');
    expect(body).toBe(nested);
  });
});
