import {
  DeleteMessageBatchCommand,
  GetQueueUrlCommand,
  type Message,
  type MessageAttributeValue,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { nameFromArn } from '../common/aws-local.ts';
import { recordFilter } from './event-filter.ts';
import { payloadField } from '../stack/offline.ts';
import type { EventSourceMapping, Invocation, Invoke, Log } from '../common/types.ts';

/** An SQS message as Lambda hands it to a function. */
export interface SqsLambdaRecord {
  messageId: string | undefined;
  receiptHandle: string | undefined;
  body: string | undefined;
  attributes: Record<string, string>;
  messageAttributes: Record<string, unknown>;
  md5OfBody: string | undefined;
  eventSource: 'aws:sqs';
  eventSourceARN: string;
  awsRegion: string;
}

/** Lambda filters match a JSON body by its fields, any other body as a string. */
function parseJson(text: string | undefined): unknown {
  try {
    return JSON.parse(text as string);
  } catch {
    return text;
  }
}

function lambdaMessageAttributes(attributes: Record<string, MessageAttributeValue> = {}) {
  return Object.fromEntries(
    Object.entries(attributes).map(([name, a]) => [
      name,
      {
        stringValue: a.StringValue,
        binaryValue: a.BinaryValue ? Buffer.from(a.BinaryValue).toString('base64') : undefined,
        stringListValues: [],
        binaryListValues: [],
        dataType: a.DataType,
      },
    ]),
  );
}

function toLambdaRecord(message: Message, queueArn: string, region: string): SqsLambdaRecord {
  return {
    messageId: message.MessageId,
    receiptHandle: message.ReceiptHandle,
    body: message.Body,
    attributes: message.Attributes ?? {},
    messageAttributes: lambdaMessageAttributes(message.MessageAttributes),
    md5OfBody: message.MD5OfBody,
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
}

/**
 * The ids a function reported as failed. As on AWS, an answer that is not a
 * valid batch response (an unknown id, a missing id) fails the whole batch.
 */
export function failedMessageIds(
  records: { messageId: string | undefined }[],
  invocation: Invocation,
  reportsBatchItemFailures: boolean,
): Set<string | undefined> {
  const all = records.map((r) => r.messageId);
  if (!invocation.ok) return new Set(all);
  if (!reportsBatchItemFailures) return new Set();
  const failures: unknown = payloadField(invocation, 'batchItemFailures');
  if (failures === undefined || failures === null) return new Set();
  if (!Array.isArray(failures)) return new Set(all);
  const ids: unknown[] = failures.map((f) => (f as { itemIdentifier?: unknown } | null)?.itemIdentifier);
  if (ids.some((id) => typeof id !== 'string' || !all.includes(id))) return new Set(all);
  return new Set(ids as string[]);
}

/** The batches Lambda starts polling with when messages are waiting, before it scales further. */
export const DEFAULT_POLLERS = 5;

/**
 * How many batches of a mapping run at once: Lambda's five, capped by the mapping's
 * ScalingConfig.MaximumConcurrency and by the invocations the function may run at once. Locally nothing scales
 * beyond that: a poller past the function's limit would only hold its messages while it waits for a slot.
 */
export function pollersFor(mapping: Pick<EventSourceMapping, 'ScalingConfig'>, maxInFlight = Infinity): number {
  const maximum = Number(mapping.ScalingConfig?.MaximumConcurrency ?? DEFAULT_POLLERS);
  return Math.max(1, Math.min(DEFAULT_POLLERS, maximum, maxInFlight));
}

/**
 * An SQS event source mapping, as Lambda runs it: receive up to BatchSize
 * messages, invoke, delete what succeeded. Failed messages stay on the queue,
 * come back after the visibility timeout, and the queue's redrive policy moves
 * them to the dead-letter queue after maxReceiveCount receives. One poller
 * waits on the queue; while it finds messages, more pollers join it, up to
 * `pollersFor` batches at once, and each extra one leaves when the queue is
 * empty again. Messages are handed out in no particular order, as on AWS.
 */
export interface SqsSourceOptions {
  mapping: EventSourceMapping;
  sqs: SQSClient;
  invoke: Invoke;
  region: string;
  log: Log;
  signal: AbortSignal;
  /** Invocations the function runs at once locally (its concurrency limit). */
  maxInFlight?: number;
}

export async function startSqsSource({ mapping, sqs, invoke, region, log, signal, maxInFlight }: SqsSourceOptions): Promise<void> {
  const queueArn = mapping.EventSourceArn;
  const queueName = nameFromArn(queueArn);
  const functionName = nameFromArn(mapping.FunctionName);
  const batchSize = Math.min(Number(mapping.BatchSize ?? 10), 10);
  const reports = (mapping.FunctionResponseTypes ?? []).includes('ReportBatchItemFailures');
  const passes = recordFilter(mapping.FilterCriteria);
  const maxPollers = pollersFor(mapping, maxInFlight);
  const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: queueName }));

  /** Receives one batch; answers no messages when the receive failed or the source is stopping. */
  const receive = async (): Promise<Message[]> => {
    try {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl,
          MaxNumberOfMessages: batchSize,
          WaitTimeSeconds: 1,
          MessageSystemAttributeNames: ['All'],
          MessageAttributeNames: ['All'],
        }),
        { abortSignal: signal },
      );
      return Messages;
    } catch (error) {
      if (signal.aborted) return [];
      log(`sqs ${queueName}: receive failed: ${(error as Error).message}`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      return [];
    }
  };

  /** Invokes the function with a batch and deletes what it settled. */
  const settle = async (messages: Message[]) => {
    // A receive can return one message twice when its visibility expired mid-poll: keep the newest copy.
    const unique = [...new Map(messages.map((m) => [m.MessageId, m])).values()];
    const records = unique.map((m) => toLambdaRecord(m, queueArn, region));
    // Records a filter drops are deleted without an invocation, as on AWS.
    const selected = records.filter((r) => passes({ ...r, body: parseJson(r.body) }));
    const invocation = selected.length ? await invoke(functionName, { Records: selected }) : undefined;
    // Stopping cuts an invocation short: its messages simply come back on the next start.
    if (signal.aborted) return;
    const failed = invocation ? failedMessageIds(selected, invocation, reports) : new Set<string | undefined>();
    const done = records.filter((r) => !failed.has(r.messageId));
    if (failed.size)
      log(`${functionName}: ${failed.size} of ${selected.length} message(s) failed; they return after the visibility timeout`);
    if (done.length) {
      await sqs.send(
        new DeleteMessageBatchCommand({ QueueUrl, Entries: done.map((r, i) => ({ Id: String(i), ReceiptHandle: r.receiptHandle })) }),
      );
    }
  };

  const pollers = new Set<Promise<void>>();
  const poll = async (stays: boolean) => {
    while (!signal.aborted) {
      const messages = await receive();
      if (messages.length === 0) {
        if (stays) continue;
        return;
      }
      join();
      try {
        await settle(messages);
      } catch (error) {
        // Undeleted messages come back after the visibility timeout, as on AWS; the poller carries on.
        log(`sqs ${queueName}: settling a batch failed: ${(error as Error).message}`);
      }
    }
  };
  /** Messages are waiting: more pollers, up to the mapping's concurrency. */
  const join = () => {
    while (pollers.size < maxPollers && !signal.aborted) start(false);
  };
  const start = (stays: boolean) => {
    const poller: Promise<void> = poll(stays).finally(() => pollers.delete(poller));
    pollers.add(poller);
  };
  start(true);
  while (pollers.size) await Promise.all(pollers);
}
