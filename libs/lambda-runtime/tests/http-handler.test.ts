import { object, string, minLength } from 'zod/mini';
import { ConflictError, NotFoundError } from '@storefront/errors';
import { aLambdaContext, anHttpApiEvent } from '@storefront/testing';
import { countMetric, httpHandler, metrics, PROBLEM_CONTENT_TYPE } from '../src';

const Thing = object({ name: string().check(minLength(1)) });

class ThingTakenError extends ConflictError {}

const createThing = httpHandler({ body: Thing }, async ({ body }) => {
  if (body.name === 'taken') throw new ThingTakenError('That name is taken');
  if (body.name === 'missing') throw new NotFoundError('No such shelf');
  if (body.name === 'boom') throw new Error('secret database detail');
  return { statusCode: 201, body: { created: body.name } };
});

const lambdaContext = aLambdaContext();
const invoke = (body: string | undefined, headers: Record<string, string> = {}) =>
  createThing(anHttpApiEvent({ method: 'POST', path: '/things', body, headers, requestId: 'api-request-1' }), lambdaContext) as Promise<{
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

describe('metrics', () => {
  it('publishes what an invocation counted when it ends, even when it fails', async () => {
    const publish = jest.spyOn(metrics, 'publishStoredMetrics');
    const counting = httpHandler({}, async () => {
      countMetric('ThingCreated');
      throw new Error('after counting');
    });

    await counting(anHttpApiEvent(), lambdaContext);

    expect(publish).toHaveBeenCalledTimes(1);
    expect(metrics.hasStoredMetrics()).toBe(false);
  });
});
