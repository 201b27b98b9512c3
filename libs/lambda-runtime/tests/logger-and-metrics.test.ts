import { aLambdaContext } from '@storefront/testing';
import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { createLogger, createMetrics, withCorrelationId } from '../src/observability';

const ENVIRONMENT = {
  POWERTOOLS_SERVICE_NAME: 'storefront-orders',
  POWERTOOLS_METRICS_NAMESPACE: 'storefront',
  POWERTOOLS_LOG_LEVEL: 'INFO',
  AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
  _X_AMZN_TRACE_ID: 'Root=1-67891233-abcdef012345678912345678;Parent=53995c3f42cd8ad8;Sampled=1',
};

/**
 * Powertools reads its settings from the environment when a logger or a metrics store is made (the trace id
 * when a line is written): each test's environment stays set until the test ends.
 */
const savedEnvironment = { ...process.env };
afterEach(() => {
  process.env = { ...savedEnvironment };
});

function madeIn<T>(environment: Record<string, string>, make: () => T): T {
  Object.assign(process.env, environment);
  return make();
}

const loggerIn = (environment: Record<string, string>) => madeIn(environment, createLogger);
const metricsIn = (environment: Record<string, string>) => madeIn(environment, createMetrics);

/** Every line written to stdout and stderr while `action` runs, parsed. */
function linesDuring(action: () => void): { stdout: Record<string, unknown>[]; stderr: Record<string, unknown>[] } {
  const captured = { stdout: [] as string[], stderr: [] as string[] };
  const spies = (['stdout', 'stderr'] as const).map((stream) =>
    jest.spyOn(process[stream], 'write').mockImplementation((chunk) => {
      captured[stream].push(String(chunk));
      return true;
    }),
  );
  try {
    action();
  } finally {
    spies.forEach((spy) => spy.mockRestore());
  }
  const parsed = (chunks: string[]) => chunks.flatMap((chunk) => chunk.split('\n').filter(Boolean)).map((line) => JSON.parse(line));
  return { stdout: parsed(captured.stdout), stderr: parsed(captured.stderr) };
}

describe('the logger', () => {
  it("writes Powertools' keys, then the correlation id and the line's own keys", () => {
    const logger = loggerIn({ ...ENVIRONMENT, POWERTOOLS_LOG_LEVEL: 'INFO' });
    logger.addContext(aLambdaContext({ functionName: 'storefront-orders-local-getOrder', awsRequestId: 'request-7' }));
    logger.setCorrelationId('corr-1');

    const { stdout } = linesDuring(() => logger.info('order read', { orderId: 'o-1' }));

    expect(stdout).toEqual([
      {
        level: 'INFO',
        message: 'order read',
        timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        service: 'storefront-orders',
        cold_start: true,
        function_arn: 'arn:aws:lambda:us-east-1:000000000000:function:storefront-orders-local-getOrder',
        function_memory_size: '256',
        function_name: 'storefront-orders-local-getOrder',
        function_request_id: 'request-7',
        sampling_rate: 0,
        xray_trace_id: '1-67891233-abcdef012345678912345678',
        correlation_id: 'corr-1',
        orderId: 'o-1',
      },
    ]);
    expect(Object.keys(stdout[0] ?? {}).slice(0, 3)).toEqual(['level', 'message', 'timestamp']);
  });

  it('keeps each record of a batch under its own correlation id while they are handled side by side', async () => {
    // Prepare
    const logger = loggerIn({ ...ENVIRONMENT, POWERTOOLS_LOG_LEVEL: 'INFO' });
    logger.setCorrelationId('request-1');
    const written: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => written.push(String(chunk)) > 0);
    // Turns instead of timers: each line lets the other record write its next one, so the two interleave the same
    // way however busy the machine is.
    const turns = Array.from({ length: 6 }, () => {
      let release = () => {};
      const reached = new Promise<void>((resolve) => (release = resolve));
      return { reached, release };
    });
    turns[0]?.release();
    const handleRecord = (id: string, myTurns: number[]) =>
      withCorrelationId(id, async () => {
        for (const turn of myTurns) {
          await turns[turn]?.reached;
          logger.info('step', { record: id });
          turns[turn + 1]?.release();
        }
      });

    // Act
    try {
      await Promise.all([handleRecord('corr-a', [1, 3, 5]), handleRecord('corr-b', [0, 2, 4])]);
      logger.info('batch done');
    } finally {
      spy.mockRestore();
    }

    // Assert
    const lines = written.map((line) => JSON.parse(line) as { correlation_id: string; record?: string });
    expect(lines.slice(0, -1).map((line) => line.record)).toEqual(['corr-b', 'corr-a', 'corr-b', 'corr-a', 'corr-b', 'corr-a']);
    expect(lines.slice(0, -1).every((line) => line.correlation_id === line.record)).toBe(true);
    expect(lines.at(-1)?.correlation_id).toBe('request-1');
  });

  it('calls only the first invocation of an on-demand sandbox a cold start', () => {
    const onDemand = loggerIn(ENVIRONMENT);
    const provisioned = loggerIn({ ...ENVIRONMENT, AWS_LAMBDA_INITIALIZATION_TYPE: 'provisioned-concurrency' });

    const coldStarts = linesDuring(() => {
      onDemand.addContext(aLambdaContext());
      onDemand.info('first');
      onDemand.addContext(aLambdaContext());
      onDemand.info('second');
      provisioned.addContext(aLambdaContext());
      provisioned.info('provisioned');
    }).stdout.map((line) => line.cold_start);

    expect(coldStarts).toEqual([true, false, false]);
  });

  it('writes an error with where it was thrown, its stack and its cause, to stderr', () => {
    const logger = loggerIn(ENVIRONMENT);
    const error = new Error('the table is gone', { cause: new TypeError('socket hang up') });

    const { stdout, stderr } = linesDuring(() => logger.error('request failed', error));

    expect(stdout).toEqual([]);
    expect(stderr[0]?.error).toEqual({
      name: 'Error',
      location: expect.stringMatching(/logger-and-metrics\.test\.ts:\d+$/),
      message: 'the table is gone',
      stack: error.stack,
      cause: expect.objectContaining({ name: 'TypeError', message: 'socket hang up' }),
    });
  });

  it('leaves out lines below POWERTOOLS_LOG_LEVEL, and drops keys an invocation appended', () => {
    const logger = loggerIn({ ...ENVIRONMENT, POWERTOOLS_LOG_LEVEL: 'WARN' });
    logger.appendKeys({ orderId: 'o-1' });

    const { stdout, stderr } = linesDuring(() => {
      logger.info('quiet');
      logger.warn('loud');
      logger.resetKeys();
      logger.warn('after the invocation');
    });

    expect(stdout).toEqual([]);
    expect(stderr.map((line) => [line.message, line.orderId])).toEqual([
      ['loud', 'o-1'],
      ['after the invocation', undefined],
    ]);
  });

  it('logs the event when POWERTOOLS_LOGGER_LOG_EVENT is on, and debug lines for a sampled invocation', () => {
    // A sampled logger says so when it is made: not one of the lines under test.
    let logger = undefined as unknown as Logger;
    linesDuring(() => (logger = loggerIn({ ...ENVIRONMENT, POWERTOOLS_LOGGER_LOG_EVENT: 'true', POWERTOOLS_LOGGER_SAMPLE_RATE: '1' })));

    const { stdout } = linesDuring(() => {
      logger.refreshSampleRateCalculation();
      logger.logEventIfEnabled({ orderId: 'o-1' });
      logger.debug('sampled');
    });

    expect(stdout.map((line) => [line.message, line.event, line.sampling_rate])).toEqual([
      ['Lambda invocation event', { orderId: 'o-1' }, 1],
      ['sampled', undefined, 1],
    ]);
  });
});

describe('the metrics of an invocation', () => {
  // The test setup turns metrics off for every other test.
  const metricsOn = { ...ENVIRONMENT, POWERTOOLS_METRICS_DISABLED: 'false' };

  it('are written as one CloudWatch Embedded Metric Format line, counts by name, under the service dimension', () => {
    const metrics = metricsIn(metricsOn);
    metrics.addMetric('OrderPlaced', MetricUnit.Count, 1);
    metrics.addMetric('OrderPlaced', MetricUnit.Count, 2);
    metrics.addMetric('StockReserved', MetricUnit.Count, 1);

    const { stdout } = linesDuring(() => metrics.publishStoredMetrics());

    expect(stdout).toEqual([
      {
        _aws: {
          Timestamp: expect.any(Number),
          CloudWatchMetrics: [
            {
              Namespace: 'storefront',
              Dimensions: [['service']],
              Metrics: [
                { Name: 'OrderPlaced', Unit: 'Count' },
                { Name: 'StockReserved', Unit: 'Count' },
              ],
            },
          ],
        },
        service: 'storefront-orders',
        OrderPlaced: [1, 2],
        StockReserved: 1,
      },
    ]);
    expect(metrics.hasStoredMetrics()).toBe(false);
  });

  it('are dropped unwritten where POWERTOOLS_METRICS_DISABLED says so (the local stage)', () => {
    const metrics = metricsIn({ ...metricsOn, POWERTOOLS_METRICS_DISABLED: 'true' });
    metrics.addMetric('OrderPlaced', MetricUnit.Count, 1);

    const { stdout } = linesDuring(() => metrics.publishStoredMetrics());

    expect([stdout, metrics.hasStoredMetrics()]).toEqual([[], false]);
  });

  it('go out in documents of at most 100 metrics, as CloudWatch takes them', () => {
    const metrics = metricsIn(metricsOn);

    const { stdout } = linesDuring(() => {
      for (let i = 0; i < 150; i++) metrics.addMetric(`Metric${i}`, MetricUnit.Count, 1);
      metrics.publishStoredMetrics();
    });

    expect(
      stdout.map((document) => (document._aws as { CloudWatchMetrics: { Metrics: unknown[] }[] }).CloudWatchMetrics[0]?.Metrics.length),
    ).toEqual([100, 50]);
  });
});
