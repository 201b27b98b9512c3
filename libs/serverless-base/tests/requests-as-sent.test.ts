import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { eventAsSent, REQUESTS_AS_SENT_VARIABLE } from '../offline-references/requests-as-sent.ts';

const HEADER = 'storefront-request-as-sent';
const workspaceRoot = join(import.meta.dirname, '../../..');

/** A payload 2.0 event as serverless-offline builds it from what the gateway sent it. */
const offlineEvent = (asSent: object) => ({
  version: '2.0',
  body: '{"a":1}',
  headers: { [HEADER]: JSON.stringify(asSent), 'content-type': 'application/json', 'content-length': '7' },
  cookies: [],
  requestContext: { requestId: 'offlineContext_resourceId', http: { method: 'POST', path: '/orders', userAgent: '' }, stage: 'local' },
});

describe('the request a function sees under serverless-offline', () => {
  it('is the request as the client sent it: its headers, cookies, user agent and request id, and nothing offline made up', () => {
    const sent = { headers: { 'content-type': '', 'user-agent': 'curl/8.5.0' }, cookies: ['a=1'], requestId: 'req-1' };

    const event = eventAsSent(offlineEvent(sent), HEADER);

    expect(event).toEqual({
      version: '2.0',
      body: '{"a":1}',
      headers: { 'content-type': '', 'user-agent': 'curl/8.5.0' },
      cookies: ['a=1'],
      requestContext: { requestId: 'req-1', http: { method: 'POST', path: '/orders', userAgent: 'curl/8.5.0' }, stage: 'local' },
    });
  });

  it('has no cookies field when the request had no cookie, as on AWS', () => {
    const event = eventAsSent(offlineEvent({ headers: {}, requestId: 'req-1' }), HEADER);

    expect(event).not.toHaveProperty('cookies');
  });

  it('is left as offline built it when no gateway sent it (offline run by hand)', () => {
    const event = { headers: { 'content-type': 'application/json' }, requestContext: { requestId: 'offlineContext_resourceId' } };

    expect(eventAsSent(event, HEADER)).toBe(event);
  });
});

/**
 * Runs in a Node of its own, as the framework loads the plugin (type stripping, ES modules): builds one event with
 * serverless-offline's own builder before the plugin's offline hook ran and one after, for a body sent without a
 * content type, and prints both.
 */
const script = (serviceDir: string) => `
  const { default: OfflineReferences } = await import(${JSON.stringify(pathToFileURL(join(import.meta.dirname, '../offline-references/index.ts')).href)});
  const { default: Builder } = await import(${JSON.stringify(
    pathToFileURL(join(workspaceRoot, 'node_modules/serverless-offline/src/events/http/lambda-events/LambdaProxyIntegrationEventV2.js'))
      .href,
  )});
  const asSent = { headers: { host: 'localhost:4000', 'content-length': '7' }, requestId: 'req-1' };
  const rawHeaders = [${JSON.stringify(HEADER)}, JSON.stringify(asSent), 'content-length', '7'];
  const request = {
    auth: {}, payload: '{"a":1}', rawPayload: '{"a":1}', raw: { req: { rawHeaders, payload: Buffer.from('{"a":1}') } }, headers: {},
    info: { received: Date.now(), remoteAddress: '127.0.0.1' }, method: 'post', params: {}, url: new URL('http://localhost/orders'), state: {},
  };
  const build = () => new Builder(request, 'local', 'POST /orders', {}).create();
  const before = build();
  await new OfflineReferences({ service: {}, classes: { Error }, serviceDir: ${JSON.stringify(serviceDir)} }).hooks['before:offline:start:init']();
  const after = build();
  console.log(JSON.stringify({ before: [before.headers, before.requestContext.requestId], after: [after.headers, after.requestContext.requestId] }));
`;

describe("serverless-offline's HTTP API events under the local stack", () => {
  it('carry the headers the gateway says the client sent, where offline alone invents a JSON content type', () => {
    const output = execFileSync(
      process.execPath,
      ['--input-type=module', '--disable-warning=ExperimentalWarning', '-e', script(join(workspaceRoot, 'apps/orders'))],
      {
        encoding: 'utf8',
        env: { ...process.env, [REQUESTS_AS_SENT_VARIABLE]: HEADER },
      },
    );

    const { before, after } = JSON.parse(output);
    expect(before[0]).toMatchObject({ 'content-type': 'application/json', [HEADER]: expect.any(String) });
    expect(after).toEqual([{ host: 'localhost:4000', 'content-length': '7' }, 'req-1']);
  });
});
