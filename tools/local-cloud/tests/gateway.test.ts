import { ConcurrencyLimiter, FunctionConcurrency, ThrottledError } from '../src/stack/concurrency.ts';
import { compileRoute, findRoute } from '../src/gateway/gateway.ts';
import { hasMalformedPercentEncoding, upstreamProblem } from '../src/gateway/problems.ts';
import { AUTHORIZER_OVERRIDE_HEADER, headersForOffline, REQUEST_AS_SENT_HEADER, requestAsSent } from '../src/gateway/request-as-sent.ts';

const routes = [
  compileRoute('GET /orders/{orderId}', { service: 'orders' }),
  compileRoute('POST /orders/{orderId}/cancel', { service: 'orders' }),
  compileRoute('GET /orders/export', { service: 'reporting' }),
  compileRoute('GET /customers/{customerId}/notifications', { service: 'notifications' }),
  compileRoute('ANY /files/{proxy+}', { service: 'files' }),
];

describe('gateway routing', () => {
  it('sends a request to the service that owns the route', () => {
    expect(findRoute(routes, 'GET', '/customers/c-1/notifications').route?.target.service).toBe('notifications');
    expect(findRoute(routes, 'POST', '/orders/o-1/cancel').route?.target.service).toBe('orders');
  });

  it('prefers a literal segment over a path parameter', () => {
    expect(findRoute(routes, 'GET', '/orders/export').route?.target.service).toBe('reporting');
    expect(findRoute(routes, 'GET', '/orders/o-1').route?.target.service).toBe('orders');
  });

  it('reports the allowed methods when only the method is wrong', () => {
    expect(findRoute(routes, 'DELETE', '/orders/o-1')).toEqual({ route: undefined, allowed: ['GET'] });
  });

  it('matches greedy proxy paths for any method', () => {
    expect(findRoute(routes, 'PUT', '/files/a/b/c.txt').route?.target.service).toBe('files');
  });

  it('finds nothing for an unknown path', () => {
    expect(findRoute(routes, 'GET', '/nope')).toEqual({ route: undefined, allowed: [] });
  });
});

describe('gateway problems', () => {
  const context = { functionName: 'placeOrder', correlationId: 'corr-1' };
  const offlineAnswer = (status: number, body: unknown, contentType = 'application/json; charset=utf-8') => ({
    status,
    headers: { 'content-type': contentType },
    body: Buffer.from(JSON.stringify(body)),
  });

  it('finds malformed percent-encoding anywhere in the URL, and accepts valid escapes', () => {
    expect(hasMalformedPercentEncoding('/orders/%E0%A4%A')).toBe(true);
    expect(hasMalformedPercentEncoding('/orders/o-1?cursor=%ZZ')).toBe(true);
    expect(hasMalformedPercentEncoding('/orders/%C3%A9t%C3%A9?cursor=a%2Bb&limit=5')).toBe(false);
  });

  it("answers a function that timed out (offline: a 200 carrying '[504] - Lambda timeout.') with 504", () => {
    const mapped = upstreamProblem(
      offlineAnswer(200, { errorMessage: '[504] - Lambda timeout.', errorType: 'LambdaTimeoutError', stackTrace: [] }),
      context,
    );

    expect(mapped?.problem).toEqual({
      type: 'urn:storefront:problem:gateway-timeout',
      title: 'Gateway timeout',
      status: 504,
      detail: 'The placeOrder function did not finish within its timeout',
      correlationId: 'corr-1',
    });
  });

  it('answers a function that threw with a generic 500, keeping its message for the log only', () => {
    const mapped = upstreamProblem(
      offlineAnswer(200, { errorMessage: 'secret table name', errorType: 'TypeError', stackTrace: ['at x'] }),
      context,
    );

    expect(mapped?.problem.status).toBe(500);
    expect(JSON.stringify(mapped?.problem)).not.toContain('secret');
    expect(mapped?.cause).toContain('secret table name');
  });

  it('answers a function response offline could not use (its 502) with 500, as the HTTP API does', () => {
    const mapped = upstreamProblem(
      offlineAnswer(502, { errorMessage: 'the body content must be stringified', errorType: 'Object', offlineInfo: '…', stackTrace: [] }),
      context,
    );

    expect(mapped?.problem.status).toBe(500);
  });

  it("turns offline's own refusals into problem+json with the same status", () => {
    const mapped = upstreamProblem(
      offlineAnswer(400, { statusCode: 400, error: 'Bad Request', message: 'Invalid cookie header' }),
      context,
    );

    expect(mapped?.problem).toMatchObject({ status: 400, title: 'Bad request', detail: 'Invalid cookie header', correlationId: 'corr-1' });
  });

  it("passes the function's own answers on, problems included", () => {
    const order = offlineAnswer(201, { orderId: 'o-1', status: 'PENDING' });
    const refused = offlineAnswer(409, { type: 'urn:storefront:problem:conflict', status: 409 }, 'application/problem+json');
    const lookalike = offlineAnswer(200, { errorMessage: 'a field of the resource', status: 'ok' });

    expect(upstreamProblem(order, context)).toBeUndefined();
    expect(upstreamProblem(refused, context)).toBeUndefined();
    expect(upstreamProblem(lookalike, context)).toBeUndefined();
  });
});

describe('function concurrency', () => {
  const deferred = () => {
    let resolve: () => void = () => undefined;
    const promise = new Promise<void>((r) => (resolve = r));
    return { promise, resolve };
  };

  /** `count` invocations, each held until its gate opens; `started` lists them in the order they started. */
  const invocationsOf = (limiter: ConcurrencyLimiter, count: number) => {
    const gates = Array.from({ length: count }, deferred);
    const started: number[] = [];
    const runs = gates.map((gate, i) =>
      limiter.run(async () => {
        started.push(i);
        await gate.promise;
      }),
    );
    return { gates, started, runs };
  };

  it('runs at most maxInFlight invocations at once and starts the waiting ones in arrival order', async () => {
    const limiter = new ConcurrencyLimiter({ maxInFlight: 2, maxQueued: 10 });

    const { gates, started, runs } = invocationsOf(limiter, 4);
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    expect([limiter.inFlight, limiter.queued]).toEqual([2, 2]);
    gates[1]?.resolve();
    await runs[1];
    await Promise.resolve();

    expect(started).toEqual([0, 1, 2]);
    gates.forEach((gate) => gate.resolve());
    await Promise.all(runs);
    expect([limiter.inFlight, limiter.queued]).toEqual([0, 0]);
  });

  it('refuses an invocation without running it when the queue is full', async () => {
    const limiter = new ConcurrencyLimiter({ name: 'placeOrder', maxInFlight: 1, maxQueued: 1 });
    const gate = deferred();
    const task = jest.fn(() => gate.promise);
    const running = limiter.run(task);
    const waiting = limiter.run(task);

    await expect(limiter.run(task)).rejects.toBeInstanceOf(ThrottledError);
    expect(task).toHaveBeenCalledTimes(1);
    gate.resolve();
    await Promise.all([running, waiting]);
    expect(task).toHaveBeenCalledTimes(2);
  });

  it('frees the slot of an invocation that failed', async () => {
    const limiter = new ConcurrencyLimiter({ maxInFlight: 1, maxQueued: 0 });

    await expect(limiter.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');

    await expect(limiter.run(async () => 'next')).resolves.toBe('next');
  });

  it('lets one more invocation start for each that has waited a second, up to maxWaiting more', async () => {
    // Prepare: one computing slot, one extra for an invocation that waits (a hung provider call).
    jest.useFakeTimers();
    const limiter = new ConcurrencyLimiter({ maxInFlight: 1, maxQueued: 10, maxWaiting: 1, waitingAfterMs: 1000 });
    const { gates, started, runs } = invocationsOf(limiter, 3);
    await Promise.resolve();
    const atFirst = [...started];

    // Act: the first has waited a second, then the second has too.
    await jest.advanceTimersByTimeAsync(1000);
    const afterOneSecond = [...started];
    await jest.advanceTimersByTimeAsync(1000);
    const afterTwoSeconds = [...started];
    gates[0]?.resolve();
    await runs[0];
    await jest.advanceTimersByTimeAsync(0);

    // Assert
    expect([atFirst, afterOneSecond, afterTwoSeconds, [...started]]).toEqual([[0], [0, 1], [0, 1], [0, 1, 2]]);
    gates.forEach((gate) => gate.resolve());
    await Promise.all(runs);
    expect([limiter.inFlight, limiter.queued]).toEqual([0, 0]);
    jest.useRealTimers();
  });

  describe('while every core is busy', () => {
    const busyLimiter = () =>
      new ConcurrencyLimiter({ maxInFlight: 1, maxQueued: 10, maxWaiting: 16, waitingAfterMs: 1000, hasIdleCpu: () => false });
    /** Runs invocations of the limiter one after another, each taking `ms`, so they make its recent history. */
    const history = async (limiter: ConcurrencyLimiter, count: number, ms: number) => {
      for (let i = 0; i < count; i++) {
        const run = limiter.run(() => new Promise((resolve) => setTimeout(resolve, ms)));
        await jest.advanceTimersByTimeAsync(ms);
        await run;
      }
    };

    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    it('takes an invocation far longer than its function’s recent ones for waiting: a hung call stands out', async () => {
      // Prepare: the function's invocations took 200 ms each.
      const limiter = busyLimiter();
      await history(limiter, 5, 200);
      const { gates, started, runs } = invocationsOf(limiter, 2);

      // Act
      await jest.advanceTimersByTimeAsync(1000);

      // Assert: the first has run 1 s, five times its usual, so the second starts beside it.
      expect(started).toEqual([0, 1]);
      gates.forEach((gate) => gate.resolve());
      await Promise.all(runs);
    });

    it('leaves cold starts out of the function’s usual duration: a hung call behind a burst of them still stands out', async () => {
      // Prepare: a burst of 4 cold starts took 6 s each, then 3 invocations on warm workers 200 ms each.
      const limiter = new ConcurrencyLimiter({ maxInFlight: 4, maxQueued: 10, waitingAfterMs: 1000, hasIdleCpu: () => false });
      const burst = Array.from({ length: 4 }, () => limiter.run(() => new Promise((resolve) => setTimeout(resolve, 6000))));
      await jest.advanceTimersByTimeAsync(6000);
      await Promise.all(burst);
      await history(limiter, 3, 200);
      const { gates, started, runs } = invocationsOf(limiter, 5);

      // Act
      await jest.advanceTimersByTimeAsync(1000);

      // Assert: the four running ones, hung for 1 s, five times the usual 200 ms, count as waiting: the fifth starts.
      expect(started).toEqual([0, 1, 2, 3, 4]);
      gates.forEach((gate) => gate.resolve());
      await Promise.all(runs);
    });

    it('takes an invocation slowed down like its function’s recent ones for computing: the next one waits its turn', async () => {
      // Prepare: on the busy machine, the function's invocations took 3 s each.
      const limiter = busyLimiter();
      await history(limiter, 5, 3000);
      const { gates, started, runs } = invocationsOf(limiter, 2);

      // Act
      await jest.advanceTimersByTimeAsync(5000);
      const beforeTwiceUsual = [...started];
      await jest.advanceTimersByTimeAsync(1500);

      // Assert: only after twice the usual 3 s does the first count as waiting.
      expect([beforeTwiceUsual, [...started]]).toEqual([[0], [0, 1]]);
      gates.forEach((gate) => gate.resolve());
      await Promise.all(runs);
    });
  });

  it('keeps one limit per function', async () => {
    const limits = new FunctionConcurrency({ maxInFlight: 1, maxQueued: 0 });
    const gate = deferred();
    const busy = limits.run('placeOrder', () => gate.promise);

    await expect(limits.run('getOrder', async () => 'served')).resolves.toBe('served');
    await expect(limits.run('placeOrder', async () => 'refused')).rejects.toBeInstanceOf(ThrottledError);
    gate.resolve();
    await busy;
  });
});

describe('the request the gateway hands a function', () => {
  it('names each header in lower case and joins a repeated one with commas, as the HTTP API does', () => {
    const sent = requestAsSent(['Content-Type', 'application/json', 'content-type', 'text/plain', 'X-Tag', 'a', 'x-tag', 'b, c'], 'req-1');

    expect(sent).toEqual({ headers: { 'content-type': 'application/json,text/plain', 'x-tag': 'a,b, c' }, requestId: 'req-1' });
  });

  it('keeps an empty content type empty and invents none for a request without one', () => {
    const empty = requestAsSent(['content-type', '', 'content-length', '2'], 'req-1');
    const none = requestAsSent(['content-length', '2'], 'req-2');

    expect(empty.headers).toEqual({ 'content-type': '', 'content-length': '2' });
    expect(none.headers).toEqual({ 'content-length': '2' });
  });

  it('moves the cookies to their own field and leaves out hop-by-hop headers', () => {
    const sent = requestAsSent(
      ['Cookie', 'a=1; b=2', 'cookie', 'c=3', 'Connection', 'keep-alive', 'Transfer-Encoding', 'chunked'],
      'req-1',
    );

    expect(sent).toEqual({ headers: {}, cookies: ['a=1', 'b=2', 'c=3'], requestId: 'req-1' });
  });

  it('hands serverless-offline a content type that has it read the body as it came, text or bytes, and never parse it', () => {
    const claims = { jwt: { claims: { sub: 'c-1' } } };
    const asJson = headersForOffline(requestAsSent(['content-type', 'application/json, text/plain'], 'req-1'), claims);
    const asBinary = headersForOffline(requestAsSent(['content-type', 'application/octet-stream'], 'req-2'), claims);

    expect(asJson).toEqual({
      [REQUEST_AS_SENT_HEADER]: JSON.stringify({ headers: { 'content-type': 'application/json, text/plain' }, requestId: 'req-1' }),
      [AUTHORIZER_OVERRIDE_HEADER]: JSON.stringify(claims),
      'content-type': 'text/plain',
    });
    expect(asBinary['content-type']).toBe('application/octet-stream');
  });

  it('carries header values no header can hold as they are, in JSON of printable ASCII', () => {
    const odd = 'cl\u00e9 \u007f "q" \\ \t';

    const carried = String(headersForOffline(requestAsSent(['x-odd', odd], 'req-1'), {})[REQUEST_AS_SENT_HEADER]);

    expect(carried).toMatch(/^[\x20-\x7e]+$/);
    expect(JSON.parse(carried).headers['x-odd']).toBe(odd);
  });
});
