import { object, string, minLength } from 'zod/mini';
import { ConflictError, NotFoundError } from '@storefront/errors';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { aLambdaContext, anHttpApiEvent, callHttp, type Identity } from '@storefront/testing';
import { httpHandler, PROBLEM_CONTENT_TYPE } from '../src';

const Thing = object({ name: string().check(minLength(1)) });

class ThingTakenError extends ConflictError {}

const createThing = httpHandler({ body: Thing }, async ({ body }) => {
  if (body.name === 'taken') throw new ThingTakenError('That name is taken');
  if (body.name === 'missing') throw new NotFoundError('No such shelf');
  if (body.name === 'boom') throw new Error('secret database detail');
  return { statusCode: 201, body: { created: body.name } };
});

const lambdaContext = aLambdaContext();
type Answer = { statusCode: number; headers: Record<string, string>; body?: string };
/** A POST /things as the HTTP API hands it over, with these parts of the event as given. */
const httpEvent = (parts: Partial<APIGatewayProxyEventV2> = {}) => anHttpApiEvent({ method: 'POST', path: '/things' }, parts);
const invoke = (body: string | undefined, headers: Record<string, string> = {}) =>
  createThing(
    anHttpApiEvent({
      method: 'POST',
      path: '/things',
      body,
      headers: { 'Content-Type': 'application/json', ...headers },
      requestId: 'api-request-1',
    }),
    lambdaContext,
  ) as Promise<{
    statusCode: number;
    headers: Record<string, string>;
    body?: string;
  }>;

describe('httpHandler', () => {
  it('passes a valid body to the route and answers JSON', async () => {
    const response = await invoke(JSON.stringify({ name: 'lamp' }));

    expect(response.statusCode).toBe(201);
    expect(response.headers['content-type']).toBe('application/json');
    expect(JSON.parse(response.body ?? '')).toEqual({ created: 'lamp' });
  });

  it('answers 400 problem+json naming the invalid field', async () => {
    const response = await invoke(JSON.stringify({ name: '' }));

    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toBe(PROBLEM_CONTENT_TYPE);
    const problem = JSON.parse(response.body ?? '');
    expect(problem).toMatchObject({ status: 400, title: 'Invalid request' });
    expect(problem.errors).toEqual([{ path: 'body.name', message: expect.stringContaining('>=1') }]);
  });

  it('answers 400 when the body is not JSON', async () => {
    const response = await invoke('{not json');

    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body ?? '').detail).toBe('The request body is not valid JSON');
  });

  it('answers 400 when a required body is missing', async () => {
    const response = await invoke(undefined);

    expect(response.statusCode).toBe(400);
  });

  it('maps domain errors to their status', async () => {
    const conflict = await invoke(JSON.stringify({ name: 'taken' }));
    const missing = await invoke(JSON.stringify({ name: 'missing' }));

    expect(conflict.statusCode).toBe(409);
    expect(JSON.parse(conflict.body ?? '').detail).toBe('That name is taken');
    expect(missing.statusCode).toBe(404);
  });

  it('hides unexpected errors behind a generic 500', async () => {
    const response = await invoke(JSON.stringify({ name: 'boom' }));

    expect(response.statusCode).toBe(500);
    expect(response.headers['content-type']).toBe(PROBLEM_CONTENT_TYPE);
    expect(response.body).not.toContain('secret database detail');
    expect(response.body).not.toContain('at ');
  });

  it('echoes the caller correlation id, in the header and in problems', async () => {
    const response = await invoke(JSON.stringify({ name: 'taken' }), { 'X-Correlation-Id': 'corr-42' });

    expect(response.headers['x-correlation-id']).toBe('corr-42');
    expect(JSON.parse(response.body ?? '').correlationId).toBe('corr-42');
  });

  it('falls back to the API Gateway request id as correlation id', async () => {
    const response = await invoke(JSON.stringify({ name: 'lamp' }));

    expect(response.headers['x-correlation-id']).toBe('api-request-1');
  });
});

describe('httpHandler body limits', () => {
  const lamp = JSON.stringify({ name: 'lamp' });

  it.each(['application/json', 'application/json; charset=utf-8', 'Application/JSON;Charset="UTF-8"', 'application/merge-patch+json'])(
    'reads a JSON body sent as %s',
    async (contentType) => {
      const response = await invoke(lamp, { 'Content-Type': contentType });

      expect(response.statusCode).toBe(201);
    },
  );

  it.each([
    'text/plain',
    'application/xml',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/json; charset=latin1',
  ])('answers 415 problem+json for a JSON body sent as %s', async (contentType) => {
    const response = await invoke(lamp, { 'Content-Type': contentType });

    expect(response.statusCode).toBe(415);
    expect(response.headers['content-type']).toBe(PROBLEM_CONTENT_TYPE);
    expect(JSON.parse(response.body ?? '')).toMatchObject({ status: 415, title: 'Unsupported media type', correlationId: 'api-request-1' });
  });

  it('answers 415 for a body sent without a content type', async () => {
    const response = (await createThing(httpEvent({ body: lamp, headers: {} }), lambdaContext)) as Answer;

    expect(response.statusCode).toBe(415);
  });

  it.each([
    ['no content type at all', {}, 'the request has no content type'],
    ['an empty content type', { 'content-type': '' }, 'its content type is empty'],
    ['a blank content type', { 'content-type': ' \t ' }, 'its content type is empty'],
    ['a list of media types', { 'content-type': 'application/json, text/plain' }, 'is not one media type'],
    [
      'two content-type headers, joined as API Gateway joins them',
      { 'content-type': 'application/json,text/plain' },
      'is not one media type',
    ],
    ['a media type without a subtype', { 'content-type': 'application/' }, 'is not one media type'],
    ['a parameter without a value', { 'content-type': 'application/json; charset' }, 'is not one media type'],
    ['two charsets', { 'content-type': 'application/json; charset=utf-8; charset=latin1' }, 'is not one media type'],
    ['a quoted media type', { 'content-type': '"application/json"' }, 'is not one media type'],
    ['trailing words', { 'content-type': 'application/json please' }, 'is not one media type'],
  ])('answers 415, never 400, to a JSON body with %s, and says why', async (_, headers, why) => {
    const response = (await createThing(httpEvent({ body: '{not json', headers }), lambdaContext)) as Answer;

    expect(response.statusCode).toBe(415);
    expect(response.headers['content-type']).toBe(PROBLEM_CONTENT_TYPE);
    expect(JSON.parse(response.body ?? '').detail).toContain(why);
  });

  it('answers 415 to a route that takes a body when the request has neither body nor content type', async () => {
    const response = (await createThing(httpEvent({ headers: {} }), lambdaContext)) as Answer;

    expect(response.statusCode).toBe(415);
    expect(JSON.parse(response.body ?? '').detail).toBe(
      'The request body must be JSON (content-type application/json); the request has no content type',
    );
  });

  it.each(['application/json', 'APPLICATION/JSON; Charset="utf-8"', 'application/json ; charset=UTF-8 ;', 'application/json; v=2'])(
    'answers 400 to a body that is not JSON only when it comes as a well-formed JSON media type, %s',
    async (contentType) => {
      const response = await invoke('{not json', { 'Content-Type': contentType });

      expect(response.statusCode).toBe(400);
      expect(JSON.parse(response.body ?? '').detail).toBe('The request body is not valid JSON');
    },
  );

  it('ignores the content type of a request without a body', async () => {
    const ping = httpHandler({}, async () => ({ statusCode: 204 }));

    const response = (await ping(httpEvent({ headers: { 'content-type': 'text/plain' } }), lambdaContext)) as Answer;

    expect(response.statusCode).toBe(204);
  });

  it('answers 413 problem+json for a body over 64 KiB, before parsing it', async () => {
    const response = await invoke(`{"name":"${'x'.repeat(64 * 1024)}`);

    expect(response.statusCode).toBe(413);
    expect(response.headers['content-type']).toBe(PROBLEM_CONTENT_TYPE);
    expect(JSON.parse(response.body ?? '')).toMatchObject({ status: 413, title: 'Payload too large' });
  });

  it('counts the decoded bytes of a base64 body', async () => {
    const body = Buffer.from(JSON.stringify({ name: 'x'.repeat(60 * 1024) })).toString('base64');

    const response = (await createThing(
      httpEvent({ body, isBase64Encoded: true, headers: { 'content-type': 'application/json' } }),
      lambdaContext,
    )) as Answer;

    expect(body.length).toBeGreaterThan(64 * 1024);
    expect(response.statusCode).toBe(201);
  });

  it('lets a route raise or lower its limit', async () => {
    const small = httpHandler({ body: Thing, maxBodyBytes: 10 }, async () => ({ statusCode: 201 }));
    const large = httpHandler({ body: Thing, maxBodyBytes: 256 * 1024 }, async () => ({ statusCode: 201 }));
    const event = (name: string) => httpEvent({ body: JSON.stringify({ name }), headers: { 'content-type': 'application/json' } });

    const refused = (await small(event('lamp'), lambdaContext)) as Answer;
    const accepted = (await large(event('x'.repeat(100 * 1024)), lambdaContext)) as Answer;

    expect(refused.statusCode).toBe(413);
    expect(accepted.statusCode).toBe(201);
  });
});

describe('httpHandler and who calls', () => {
  const whoAmI = (access: 'public' | 'customer' | 'admin') =>
    httpHandler({ access }, async ({ caller }) => ({ statusCode: 200, body: caller }));
  const call = (access: 'public' | 'customer' | 'admin', as?: Identity) =>
    callHttp(whoAmI(access), { method: 'GET', path: '/me', ...(as ? { as } : {}) });

  it('hands a customer route the caller the verified claims name, groups and scopes read from API Gateway strings', async () => {
    const answer = await call('customer', { customer: 'c-1' });

    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ id: 'c-1', groups: ['customers'], scopes: ['storefront/shop'] });
  });

  it('answers 401 problem+json when a protected route gets no verified identity', async () => {
    const answer = await call('customer');

    expect(answer.status).toBe(401);
    expect(answer.headers['content-type']).toBe(PROBLEM_CONTENT_TYPE);
    expect(answer.json).toMatchObject({ status: 401, title: 'Unauthorized' });
  });

  it('answers 403 when a customer calls an admin route, even with the admin scope in the token', async () => {
    const event = anHttpApiEvent({ method: 'PUT', path: '/products/x', as: { customer: 'c-1' } });
    const jwt = (event.requestContext as unknown as { authorizer: { jwt: { scopes: string[] } } }).authorizer.jwt;
    jwt.scopes = ['storefront/admin'];

    const answer = (await whoAmI('admin')(event, lambdaContext)) as Answer;

    expect(answer.statusCode).toBe(403);
    expect(JSON.parse(answer.body ?? '')).toMatchObject({ status: 403, detail: 'Only admins may do this' });
  });

  it('lets an admin call an admin route', async () => {
    const answer = await call('admin', { admin: true });

    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ id: 'admin-1', groups: ['admins'] });
  });

  it('gives a public route an anonymous caller whatever claims arrive', async () => {
    const answer = await call('public', { customer: 'c-1' });

    expect(answer.json).toEqual({ id: '', groups: [], scopes: [] });
  });
});
