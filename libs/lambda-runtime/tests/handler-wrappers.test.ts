import type { Context, S3Event, SQSRecord } from 'aws-lambda';
import { CheckoutInput, OrderEvent } from '@storefront/contracts';
import {
  countMetric,
  dynamoStreamHandler,
  httpHandler,
  logger,
  s3ObjectHandler,
  scheduleHandler,
  sqsBatchHandler,
  sqsEventHandler,
  workflowTaskHandler,
  type S3ObjectRef,
} from '../src';
import { metrics } from '../src/observability';
import { aLambdaContext, anHttpApiEvent } from '@storefront/testing';

const lambdaContext = aLambdaContext();

const sqsRecord = (messageId: string, body: string) =>
  ({ messageId, body, receiptHandle: messageId, attributes: {}, messageAttributes: {} }) as unknown as SQSRecord;

const orderPlaced = JSON.stringify({
  id: 'evt-1',
  type: 'OrderPlaced',
  version: 1,
  occurredAt: '2026-03-01T10:00:00.000Z',
  source: 'storefront.orders',
  correlationId: 'corr-from-event',
  data: { orderId: 'o-1', customerId: 'c-1', currency: 'EUR', lines: [{ sku: 'A', quantity: 1 }] },
});

const s3Event = (...keys: string[]) =>
  ({ Records: keys.map((key) => ({ s3: { bucket: { name: 'imports-bucket' }, object: { key } } })) }) as unknown as S3Event;

type Work = () => Promise<void>;

/**
 * Each trigger kind's wrapper around the same piece of work, and the correlation
 * id its logs should carry. `invoke` settles however the wrapper answers a failure.
 */
const wrappers: { kind: string; correlationId: string; invoke: (work: Work) => Promise<unknown> }[] = [
  {
    kind: 'httpHandler',
    correlationId: 'corr-from-header',
    invoke: (work) =>
      httpHandler({}, async () => {
        await work();
        return { statusCode: 204 };
      })(anHttpApiEvent({ headers: { 'X-Correlation-Id': 'corr-from-header' } }), lambdaContext),
  },
  {
    kind: 'sqsBatchHandler',
    correlationId: lambdaContext.awsRequestId,
    invoke: (work) => sqsBatchHandler(work)({ Records: [sqsRecord('m1', 'body')] }, lambdaContext),
  },
  {
    kind: 'sqsEventHandler',
    correlationId: 'corr-from-event',
    invoke: (work) => sqsEventHandler(OrderEvent, work)({ Records: [sqsRecord('m1', orderPlaced)] }, lambdaContext),
  },
  {
    kind: 'dynamoStreamHandler',
    correlationId: lambdaContext.awsRequestId,
    invoke: (work) => dynamoStreamHandler(work)({ Records: [{ eventID: '1', dynamodb: { SequenceNumber: '1' } }] }, lambdaContext),
  },
  {
    kind: 's3ObjectHandler',
    correlationId: lambdaContext.awsRequestId,
    invoke: (work) => s3ObjectHandler(work)(s3Event('imports/catalog.csv'), lambdaContext),
  },
  {
    kind: 'workflowTaskHandler',
    correlationId: 'corr-from-input',
    invoke: (work) => workflowTaskHandler(CheckoutInput, work)({ orderId: 'o-1', correlationId: 'corr-from-input' }, lambdaContext),
  },
  {
    kind: 'scheduleHandler',
    correlationId: lambdaContext.awsRequestId,
    invoke: (work) => scheduleHandler(work)({ 'detail-type': 'Scheduled Event' }, lambdaContext),
  },
];

/** The JSON log lines written while `action` runs; its work must turn logging on (each invocation starts at the configured level). */
async function logLinesDuring(action: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const lines: string[] = [];
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    await action().catch(() => undefined);
  } finally {
    logger.setLogLevel('SILENT');
    write.mockRestore();
  }
  return lines
    .flatMap((line) => line.split('\n'))
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line));
}

describe.each(wrappers)('$kind', ({ correlationId, invoke }) => {
  it('logs with the Lambda context and the correlation id', async () => {
    const logs = await logLinesDuring(() =>
      invoke(async () => {
        logger.setLogLevel('INFO');
        logger.info('working');
      }),
    );

    expect(logs.find((line) => line.message === 'working')).toMatchObject({
      function_name: lambdaContext.functionName,
      function_request_id: lambdaContext.awsRequestId,
      correlation_id: correlationId,
    });
  });

  it('publishes what the invocation counted even when the work throws', async () => {
    const publish = jest.spyOn(metrics, 'publishStoredMetrics');

    await invoke(async () => {
      countMetric('ThingsDone');
      throw new Error('after counting');
    }).catch(() => undefined);

    expect(publish).toHaveBeenCalledTimes(1);
    expect(metrics.hasStoredMetrics()).toBe(false);
  });

  it('leaves no correlation id behind for the next invocation', async () => {
    await invoke(async () => undefined);

    expect(logger.getCorrelationId()).toBeUndefined();
  });
});

describe('s3ObjectHandler', () => {
  it('hands over every object of the notification in turn, its key decoded', async () => {
    const seen: S3ObjectRef[] = [];
    const handler = s3ObjectHandler(async (object) => {
      seen.push(object);
    });

    await handler(s3Event('imports/spring+sale.csv', 'imports/caf%C3%A9.csv'), lambdaContext);

    expect(seen).toEqual([
      { bucket: 'imports-bucket', key: 'imports/spring sale.csv' },
      { bucket: 'imports-bucket', key: 'imports/café.csv' },
    ]);
  });

  it('fails the invocation when an object fails, so Lambda retries the event', async () => {
    const handler = s3ObjectHandler(async () => {
      throw new Error('bucket unavailable');
    });

    await expect(handler(s3Event('imports/catalog.csv'), lambdaContext)).rejects.toThrow('bucket unavailable');
  });
});

describe('scheduleHandler', () => {
  it('answers what the run returns, correlated by the request id', async () => {
    const handler = scheduleHandler(async ({ correlationId }) => ({ correlationId, done: true }));

    const result = await handler({}, { ...lambdaContext, awsRequestId: 'run-7' } as Context);

    expect(result).toEqual({ correlationId: 'run-7', done: true });
  });
});

describe('workflowTaskHandler', () => {
  it('hands the task its parsed input and answers what the task returns', async () => {
    const handler = workflowTaskHandler(CheckoutInput, async ({ orderId }) => ({ outcome: 'captured', orderId }));

    const result = await handler({ orderId: 'o-1', correlationId: 'corr-1' }, lambdaContext);

    expect(result).toEqual({ outcome: 'captured', orderId: 'o-1' });
  });

  it('fails an input that breaks the contract with an error Step Functions can name, before the task runs', async () => {
    const task = jest.fn();
    const handler = workflowTaskHandler(CheckoutInput, task);

    const failure = await handler({ correlationId: 'corr-1' }, lambdaContext).catch((error: Error) => error);

    expect(failure).toMatchObject({ name: 'InvalidTaskInputError', message: expect.stringContaining('orderId') });
    expect(task).not.toHaveBeenCalled();
  });

  it("lets the task's own error through with its name, for the state's Retry and Catch", async () => {
    class ProviderDown extends Error {
      override readonly name = 'ProviderUnavailableError';
    }
    const handler = workflowTaskHandler(CheckoutInput, async () => {
      throw new ProviderDown('503 from the provider');
    });

    await expect(handler({ orderId: 'o-1', correlationId: 'corr-1' }, lambdaContext)).rejects.toMatchObject({
      name: 'ProviderUnavailableError',
      message: '503 from the provider',
    });
  });
});
