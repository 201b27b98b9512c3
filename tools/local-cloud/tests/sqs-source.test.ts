import { DeleteMessageBatchCommand, GetQueueUrlCommand, type Message, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { startSqsSource } from '../src/event-sources/sqs-source.ts';
import type { EventSourceMapping, Invocation, Invoke } from '../src/common/types.ts';

const QUEUE_ARN = 'arn:aws:sqs:us-east-1:000000000000:inventory-events';
const sqs = mockClient(SQSClient);

const message = (id: string, body: unknown): Message => ({
  MessageId: id,
  ReceiptHandle: `receipt-${id}`,
  Body: JSON.stringify(body),
  MD5OfBody: 'md5',
  MessageAttributes: { correlationId: { DataType: 'String', StringValue: `c-${id}` } },
});

/** The queue hands out `batches` one receive at a time, then stays empty (answering after a short wait, as a long poll does). */
function queueHolding(...batches: Message[][]) {
  sqs.reset();
  sqs.on(GetQueueUrlCommand).resolves({ QueueUrl: 'http://queue/inventory-events' });
  const receive = sqs.on(ReceiveMessageCommand);
  for (const batch of batches) receive.resolvesOnce({ Messages: batch });
  receive.callsFake(() => new Promise((resolve) => setTimeout(() => resolve({ Messages: [] }), 5)));
  sqs.on(DeleteMessageBatchCommand).resolves({});
}

const deletedHandles = () =>
  sqs.commandCalls(DeleteMessageBatchCommand).flatMap((call) => (call.args[0].input.Entries ?? []).map((e) => e.ReceiptHandle));

async function until(condition: () => boolean) {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('the condition was not met within 5 s');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Runs the poller until `done` holds, then stops it as the stack does. */
async function poll(
  mapping: Partial<EventSourceMapping>,
  answer: (event: { Records: { messageId: string }[] }) => Invocation,
  done: () => boolean,
) {
  const abort = new AbortController();
  const invoke = jest.fn<ReturnType<Invoke>, Parameters<Invoke>>(async (_name, event) =>
    answer(event as { Records: { messageId: string }[] }),
  );
  const log = jest.fn();
  const running = startSqsSource({
    mapping: {
      EventSourceArn: QUEUE_ARN,
      FunctionName: 'arn:aws:lambda:us-east-1:000000000000:function:inventory-reserveStock',
      ...mapping,
    },
    sqs: sqs as unknown as SQSClient,
    invoke,
    region: 'us-east-1',
    log,
    signal: abort.signal,
  });
  await until(done);
  abort.abort();
  await running;
  return { invoke, log };
}

describe('the SQS event source', () => {
  it('hands a batch to the function as Lambda records and deletes it once the function succeeds', async () => {
    queueHolding([message('1', { type: 'OrderPlaced' }), message('2', { type: 'OrderPlaced' })]);

    const { invoke } = await poll(
      {},
      () => ({ ok: true }),
      () => deletedHandles().length === 2,
    );

    expect(invoke).toHaveBeenCalledTimes(1);
    expect(invoke).toHaveBeenCalledWith('inventory-reserveStock', {
      Records: [
        expect.objectContaining({
          messageId: '1',
          body: '{"type":"OrderPlaced"}',
          eventSource: 'aws:sqs',
          eventSourceARN: QUEUE_ARN,
          awsRegion: 'us-east-1',
          messageAttributes: { correlationId: expect.objectContaining({ stringValue: 'c-1', dataType: 'String' }) },
        }),
        expect.objectContaining({ messageId: '2' }),
      ],
    });
    expect(deletedHandles()).toEqual(['receipt-1', 'receipt-2']);
  });

  it('leaves the messages the function reported as failed on the queue, and deletes the rest', async () => {
    queueHolding([message('1', {}), message('2', {}), message('3', {})]);

    const { log } = await poll(
      { FunctionResponseTypes: ['ReportBatchItemFailures'] },
      () => ({ ok: true, payload: { batchItemFailures: [{ itemIdentifier: '2' }] } }),
      () => deletedHandles().length > 0,
    );

    expect(deletedHandles()).toEqual(['receipt-1', 'receipt-3']);
    expect(log).toHaveBeenCalledWith(expect.stringContaining('1 of 3 message(s) failed'));
  });

  it('deletes nothing when the function throws', async () => {
    queueHolding([message('1', {}), message('2', {})]);

    // The next receive comes after the batch was settled: nothing was deleted by then.
    await poll(
      {},
      () => ({ ok: false, payload: { errorMessage: 'boom' } }),
      () => sqs.commandCalls(ReceiveMessageCommand).length >= 2,
    );

    expect(deletedHandles()).toEqual([]);
  });

  it('deletes the messages its filter drops without invoking the function for them', async () => {
    queueHolding([message('1', { type: 'OrderPlaced' }), message('2', { type: 'OrderCancelled' })]);

    const { invoke } = await poll(
      { FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ body: { type: ['OrderPlaced'] } }) }] } },
      () => ({ ok: true }),
      () => deletedHandles().length === 2,
    );

    expect(invoke.mock.calls[0]?.[1].Records).toEqual([expect.objectContaining({ messageId: '1' })]);
    expect(deletedHandles()).toEqual(['receipt-1', 'receipt-2']);
  });

  it('hands a message received twice in one batch to the function once', async () => {
    queueHolding([message('1', {}), { ...message('1', {}), ReceiptHandle: 'receipt-1-again' }]);

    const { invoke } = await poll(
      {},
      () => ({ ok: true }),
      () => deletedHandles().length > 0,
    );

    expect(invoke.mock.calls[0]?.[1].Records).toHaveLength(1);
    expect(deletedHandles()).toEqual(['receipt-1-again']);
  });

  it('asks for at most ten messages, whatever the mapping says', async () => {
    queueHolding([message('1', {})]);

    await poll(
      { BatchSize: 50 },
      () => ({ ok: true }),
      () => deletedHandles().length > 0,
    );

    expect(sqs.commandCalls(ReceiveMessageCommand)[0]?.args[0].input.MaxNumberOfMessages).toBe(10);
  });
});

describe('the SQS event source under load', () => {
  /** A queue of `count` batches of ten; counts the receives waiting at once, as a long poll keeps them open. */
  function queueOfBatches(count: number) {
    sqs.reset();
    const batches = Array.from({ length: count }, (_, b) => Array.from({ length: 10 }, (_, m) => message(`${b}-${m}`, {})));
    const receiving = { now: 0, peak: 0 };
    sqs.on(GetQueueUrlCommand).resolves({ QueueUrl: 'http://queue/inventory-events' });
    sqs.on(ReceiveMessageCommand).callsFake(async () => {
      receiving.now += 1;
      receiving.peak = Math.max(receiving.peak, receiving.now);
      await new Promise((resolve) => setTimeout(resolve, 5));
      receiving.now -= 1;
      return { Messages: batches.shift() ?? [] };
    });
    sqs.on(DeleteMessageBatchCommand).resolves({});
    return receiving;
  }

  /** A function that holds every batch until released, and counts the batches it holds at once. */
  function heldFunction() {
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    const running = { now: 0, peak: 0, calls: 0 };
    const invoke: Invoke = async () => {
      running.calls += 1;
      running.now += 1;
      running.peak = Math.max(running.peak, running.now);
      await released;
      running.now -= 1;
      return { ok: true };
    };
    return { invoke, running, release };
  }

  async function pollUntilDrained(mapping: Partial<EventSourceMapping>, { maxInFlight }: { maxInFlight?: number } = {}) {
    const receiving = queueOfBatches(12);
    const { invoke, running, release } = heldFunction();
    const abort = new AbortController();
    const polling = startSqsSource({
      mapping: { EventSourceArn: QUEUE_ARN, FunctionName: 'inventory-reserveStock', ...mapping },
      sqs: sqs as unknown as SQSClient,
      invoke,
      region: 'us-east-1',
      log: jest.fn(),
      signal: abort.signal,
      ...(maxInFlight ? { maxInFlight } : {}),
    });
    // Every poller that may hold a batch holds one: give any extra poller time to show up before releasing.
    await until(() => running.calls > 0);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const heldAtOnce = running.now;
    release();
    await until(() => deletedHandles().length === 120);
    // Drained: the extra pollers leave, one long poll stays.
    await new Promise((resolve) => setTimeout(resolve, 50));
    receiving.peak = receiving.now;
    await new Promise((resolve) => setTimeout(resolve, 100));
    abort.abort();
    await polling;
    return { heldAtOnce, peak: running.peak, idleReceivesAtOnce: receiving.peak };
  }

  it('runs five batches at once while messages wait, as Lambda starts polling, and one poll once the queue is empty', async () => {
    const { heldAtOnce, peak, idleReceivesAtOnce } = await pollUntilDrained({});

    expect(heldAtOnce).toBe(5);
    expect(peak).toBe(5);
    expect(idleReceivesAtOnce).toBe(1);
  });

  it("runs no more batches at once than the mapping's maximum concurrency", async () => {
    const { heldAtOnce, peak } = await pollUntilDrained({ ScalingConfig: { MaximumConcurrency: 2 } });

    expect(heldAtOnce).toBe(2);
    expect(peak).toBe(2);
  });

  it('runs no more batches at once than the function may run invocations', async () => {
    const { peak } = await pollUntilDrained({}, { maxInFlight: 3 });

    expect(peak).toBe(3);
  });

  it('hands every message to the function once, whatever poller received it', async () => {
    const handed: string[] = [];
    queueOfBatches(12);

    await poll(
      {},
      (event) => {
        handed.push(...event.Records.map((r) => r.messageId));
        return { ok: true };
      },
      () => deletedHandles().length === 120,
    );

    expect(handed).toHaveLength(120);
    expect(new Set(handed).size).toBe(120);
  });
});
