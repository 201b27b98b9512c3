import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type GetShardIteratorCommandInput,
  type _Record as StreamRecord,
  type Shard,
} from '@aws-sdk/client-dynamodb-streams';
import { GetQueueUrlCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { LOCAL_CREDENTIALS, nameFromArn } from '../common/aws-local.ts';
import { recordFilter } from './event-filter.ts';
import { payloadField } from '../stack/offline.ts';
import type { EventSourceMapping, Invocation, Invoke, Log } from '../common/types.ts';

/** A stream record as Lambda hands it to a function. */
export type StreamLambdaRecord = Omit<StreamRecord, 'dynamodb'> & {
  eventSourceARN: string;
  dynamodb: Record<string, unknown> & { SequenceNumber?: string | undefined };
};

interface ShardCheckpoint {
  sequence?: string | undefined;
  closed?: boolean;
}

const sequenceOf = (record: { dynamodb?: { SequenceNumber?: string | undefined } | undefined } | undefined): string =>
  record?.dynamodb?.SequenceNumber as string;

/** How often a stream's shards are listed again while it has an open one. */
const SHARDS_READ_EVERY_MS = 5000;

/** Waits `ms`, or until the stack stops; its abort listener goes when the wait ends, so a long run leaks none. */
export const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });

/** Where each stream shard was read up to, kept on disk so a restart does not replay or skip records. */
export class Checkpoints {
  readonly file: string | undefined;
  readonly data: Record<string, Record<string, ShardCheckpoint>>;

  constructor(file?: string) {
    this.file = file;
    this.data = file && existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  }
  get(streamArn: string, shardId: string): ShardCheckpoint | undefined {
    return this.data[streamArn]?.[shardId];
  }
  set(streamArn: string, shardId: string, value: ShardCheckpoint): void {
    (this.data[streamArn] ??= {})[shardId] = value;
    if (this.file) writeFileSync(this.file, JSON.stringify(this.data, null, 1));
  }
}

/** A stream record as Lambda hands it to a function: the source ARN added, the creation time in epoch seconds. */
export function toLambdaRecord(record: StreamRecord, streamArn: string): StreamLambdaRecord {
  const created = record.dynamodb?.ApproximateCreationDateTime;
  return {
    ...record,
    eventSourceARN: streamArn,
    dynamodb: { ...record.dynamodb, ...(created ? { ApproximateCreationDateTime: Math.floor(new Date(created).getTime() / 1000) } : {}) },
  };
}

/** Index of the first record the function reported as failed, or -1; an unusable answer fails the batch from its start. */
export function firstFailedIndex(
  records: { dynamodb?: { SequenceNumber?: string | undefined } | undefined }[],
  invocation: Invocation,
  reportsBatchItemFailures: boolean,
): number {
  if (!invocation.ok) return 0;
  if (!reportsBatchItemFailures) return -1;
  const failures: unknown = payloadField(invocation, 'batchItemFailures');
  if (failures === undefined || failures === null || (Array.isArray(failures) && failures.length === 0)) return -1;
  if (!Array.isArray(failures)) return 0;
  const indexes = failures.map((f) =>
    records.findIndex((r) => sequenceOf(r) === (f as { itemIdentifier?: unknown } | null)?.itemIdentifier),
  );
  return indexes.some((i) => i < 0) ? 0 : Math.min(...indexes);
}

/**
 * A DynamoDB Streams event source mapping, as Lambda runs it: read each shard
 * in order, invoke with batches, checkpoint after success. A failed batch is
 * retried from its first failed record (halving the batch when bisecting) up
 * to MaximumRetryAttempts, then described on the on-failure destination and skipped.
 */
export interface StreamSourceOptions {
  mapping: EventSourceMapping;
  clients: { dynamodb: DynamoDBClient; sqs: SQSClient };
  streamsEndpoint: string;
  invoke: Invoke;
  region: string;
  log: Log;
  signal: AbortSignal;
  checkpoints: Checkpoints;
}

export function startStreamSource({
  mapping,
  clients,
  streamsEndpoint,
  invoke,
  region,
  log,
  signal,
  checkpoints,
}: StreamSourceOptions): Promise<void> {
  const tableName = /table\/([^/]+)/.exec(mapping.EventSourceArn)?.[1];
  const functionName = nameFromArn(mapping.FunctionName);
  const batchSize = Number(mapping.BatchSize ?? 100);
  const maxRetries =
    mapping.MaximumRetryAttempts === undefined || Number(mapping.MaximumRetryAttempts) < 0
      ? Infinity
      : Number(mapping.MaximumRetryAttempts);
  const bisect = Boolean(mapping.BisectBatchOnFunctionError);
  const reports = (mapping.FunctionResponseTypes ?? []).includes('ReportBatchItemFailures');
  const passes = recordFilter(mapping.FilterCriteria);
  const onFailure = mapping.DestinationConfig?.OnFailure?.Destination;
  const streams = new DynamoDBStreamsClient({ endpoint: streamsEndpoint, region, credentials: LOCAL_CREDENTIALS });
  const retries = new Map<string, { count: number; limit: number }>();
  // Where each shard's next read continues, as Lambda's poller follows NextShardIterator; a batch to be read again
  // (a retry) starts from the checkpoint instead.
  const continueAt = new Map<string, string>();

  async function sendToFailureDestination(
    streamArn: string,
    shardId: string,
    batch: StreamLambdaRecord[],
    invocation: Invocation,
    attempts: number,
  ) {
    if (!onFailure) return;
    const body = {
      requestContext: {
        requestId: crypto.randomUUID(),
        functionArn: mapping.FunctionName,
        condition: 'RetryAttemptsExhausted',
        approximateInvokeCount: attempts,
      },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: invocation.ok ? 'PartialBatchFailure' : 'Unhandled' },
      version: '1.0',
      timestamp: new Date().toISOString(),
      DDBStreamBatchInfo: {
        shardId,
        startSequenceNumber: sequenceOf(batch[0]),
        endSequenceNumber: sequenceOf(batch.at(-1)),
        batchSize: batch.length,
        streamArn,
      },
    };
    const { QueueUrl } = await clients.sqs.send(new GetQueueUrlCommand({ QueueName: nameFromArn(onFailure) }));
    await clients.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: JSON.stringify(body) }));
  }

  async function pollShard(streamArn: string, shard: Shard): Promise<boolean> {
    const shardId = shard.ShardId as string;
    const state = checkpoints.get(streamArn, shardId) ?? {};
    if (state.closed) return false;
    const iteratorInput: Pick<GetShardIteratorCommandInput, 'ShardIteratorType' | 'SequenceNumber'> = state.sequence
      ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: state.sequence }
      : { ShardIteratorType: mapping.StartingPosition === 'LATEST' ? 'LATEST' : 'TRIM_HORIZON' };
    const key = `${streamArn}/${shardId}`;
    const followed = continueAt.get(key);
    continueAt.delete(key);
    const ShardIterator =
      followed ??
      (await streams.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ...iteratorInput }))).ShardIterator;
    const attempt = retries.get(key) ?? { count: 0, limit: batchSize };
    const { Records = [], NextShardIterator } = await streams.send(new GetRecordsCommand({ ShardIterator, Limit: attempt.limit }));
    if (NextShardIterator) continueAt.set(key, NextShardIterator);
    if (Records.length === 0) {
      if (!NextShardIterator && shard.SequenceNumberRange?.EndingSequenceNumber)
        checkpoints.set(streamArn, shardId, { ...state, closed: true });
      return false;
    }
    const records = Records.map((r) => toLambdaRecord(r, streamArn));
    const batch = records.filter((r) => passes(r));
    if (batch.length === 0) {
      checkpoints.set(streamArn, shardId, { sequence: sequenceOf(records.at(-1)) });
      return true;
    }
    const invocation = await invoke(functionName, { Records: batch });
    // Stopping cuts an invocation short: the batch is read again from the checkpoint on the next start.
    if (signal.aborted) return false;
    const failedAt = firstFailedIndex(batch, invocation, reports);
    if (failedAt < 0) {
      retries.delete(key);
      checkpoints.set(streamArn, shardId, { sequence: sequenceOf(records.at(-1)) });
      return true;
    }
    // Everything before the first failure is done; the rest is retried.
    const firstFailedSequence = sequenceOf(batch[failedAt]);
    const before = records.filter((r) => BigInt(sequenceOf(r)) < BigInt(firstFailedSequence));
    if (before.length) checkpoints.set(streamArn, shardId, { sequence: sequenceOf(before.at(-1)) });
    const count = (before.length ? 0 : attempt.count) + 1;
    const remaining = batch.slice(failedAt);
    if (count > maxRetries) {
      log(
        `${functionName}: gave up on ${remaining.length} stream record(s) after ${count - 1} retries${onFailure ? `; described on ${nameFromArn(onFailure)}` : ''}`,
      );
      await sendToFailureDestination(streamArn, shardId, remaining, invocation, count);
      retries.delete(key);
      checkpoints.set(streamArn, shardId, { sequence: sequenceOf(records.at(-1)) });
      return true;
    }
    continueAt.delete(key);
    const limit = bisect && !invocation.ok ? Math.max(1, Math.ceil(remaining.length / 2)) : attempt.limit;
    retries.set(key, { count, limit });
    log(`${functionName}: stream batch failed (attempt ${count}), retrying${limit < remaining.length ? ` with ${limit} record(s)` : ''}`);
    await sleep(Math.min(200 * 2 ** (count - 1), 2000), signal);
    return true;
  }

  const loop = async () => {
    let streamArn: string | undefined;
    let shards: Shard[] = [];
    let shardsReadAt = -Infinity;
    while (!signal.aborted) {
      try {
        streamArn ??= (await clients.dynamodb.send(new DescribeTableCommand({ TableName: tableName }))).Table?.LatestStreamArn;
        if (!streamArn) throw new Error(`table ${tableName} has no stream`);
        // The shards are read again every few seconds, and on every poll while none is open (a new stream has its
        // first shard only once written to), rather than on every poll: each poll is then one GetRecords per open
        // shard, as Lambda polls.
        const arn = streamArn;
        const open = shards.filter((shard) => !checkpoints.get(arn, shard.ShardId as string)?.closed);
        if (open.length === 0 || Date.now() - shardsReadAt >= SHARDS_READ_EVERY_MS) {
          const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
          shards = StreamDescription?.Shards ?? [];
          shardsReadAt = Date.now();
        }
        let busy = false;
        for (const shard of shards) busy = (await pollShard(streamArn, shard)) || busy;
        if (!busy) await sleep(250, signal);
      } catch (error) {
        if (signal.aborted) return;
        log(`stream of ${tableName}: ${(error as Error).message}`);
        streamArn = undefined;
        shardsReadAt = -Infinity;
        continueAt.clear();
        await sleep(1000, signal);
      }
    }
    streams.destroy();
  };
  return loop();
}
