import { getEventListeners } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { invokeOffline } from '../../src/stack/offline.ts';

// Stands in for serverless-offline's Lambda API: answers every invocation with the function's name, or hangs.
let server: Server;
let port: number;
beforeAll(async () => {
  server = createServer((request, response) => {
    if (request.url?.includes('/functions/hangs/')) return;
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ answeredBy: request.url?.split('/')[3] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('invoking a function through offline', () => {
  it("leaves no listener on the stack's stop signal, however many invocations it carried", async () => {
    const stopping = new AbortController();

    const invocations = await Promise.all(Array.from({ length: 25 }, () => invokeOffline(port, 'getOrder', { n: 1 }, stopping.signal)));

    expect(invocations.every(({ ok, payload }) => ok && (payload as { answeredBy: string }).answeredBy === 'getOrder')).toBe(true);
    expect(getEventListeners(stopping.signal, 'abort')).toEqual([]);
  });

  it('ends an invocation under way when the stack stops, as not answered', async () => {
    const stopping = new AbortController();

    const invocation = invokeOffline(port, 'hangs', {}, stopping.signal);
    setTimeout(() => stopping.abort(), 50);

    await expect(invocation).resolves.toMatchObject({ ok: false });
    expect(getEventListeners(stopping.signal, 'abort')).toEqual([]);
  });
});
