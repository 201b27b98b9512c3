/**
 * The on-failure destinations of DynamoDB stream event source mappings (the
 * outbox relays' "outbox-failed" queues). A message there only describes the
 * batch Lambda gave up on: shard, first and last sequence number. The records
 * themselves stay in the stream (24 hours on AWS; DynamoDB Local keeps them),
 * so redriving reads them back and runs them through the same relay function
 * again, which is what publishes them.
 */
import {
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';
import { nameFromArn } from '../common/aws-local.ts';
import { recordFilter } from './event-filter.ts';
import { payloadField } from '../stack/offline.ts';
import { resourcesOf } from '../stack/layout.ts';
import { firstFailedIndex, toLambdaRecord } from './stream-source.ts';
import type { DescribedService, EventSourceMapping, Invoke } from '../common/types.ts';

/** A stream mapping's on-failure queue, with what it takes to run a failed batch again. */
export interface StreamFailureDestination {
  queue: string;
  service: string;
  functionName: string;
  table: string | undefined;
  mapping: EventSourceMapping;
}

/** What Lambda writes on the on-failure destination about a batch it gave up on. */
export interface FailedBatch {
  shardId: string;
  startSequenceNumber: string;
  endSequenceNumber: string;
  streamArn: string;
  batchSize?: number;
}

export type RedriveResult = { ok: true; records: number } | { ok: false; reason: string };

const sequenceOf = (record: StreamRecord | undefined) => record?.dynamodb?.SequenceNumber;

/** Every stream mapping with an on-failure queue: the queue, the function, the table whose stream feeds it. */
export function streamFailureDestinations(described: DescribedService[]): StreamFailureDestination[] {
  return resourcesOf(described, 'AWS::Lambda::EventSourceMapping')
    .filter(({ properties: p }) => String(p.EventSourceArn).includes(':dynamodb:') && p.DestinationConfig?.OnFailure?.Destination)
    .map(({ service, properties: mapping }: { service: string; properties: EventSourceMapping }) => ({
      queue: nameFromArn(mapping.DestinationConfig?.OnFailure?.Destination),
      service,
      functionName: nameFromArn(mapping.FunctionName),
      table: /table\/([^/]+)/.exec(mapping.EventSourceArn)?.[1],
      mapping,
    }));
}

/** The batch a failure message describes. */
export function failedBatchOf(messageBody: string): FailedBatch {
  const info = JSON.parse(messageBody)?.DDBStreamBatchInfo;
  if (!info?.shardId || !info.startSequenceNumber || !info.endSequenceNumber || !info.streamArn)
    throw new Error('the message does not describe a stream batch (DDBStreamBatchInfo)');
  return info as FailedBatch;
}

/** The records of a failed batch, read back from its shard: from its first sequence number through its last. */
export async function recordsOfBatch(streams: DynamoDBStreamsClient, batch: FailedBatch): Promise<StreamRecord[]> {
  const end = BigInt(batch.endSequenceNumber);
  let { ShardIterator: iterator } = await streams.send(
    new GetShardIteratorCommand({
      StreamArn: batch.streamArn,
      ShardId: batch.shardId,
      ShardIteratorType: 'AT_SEQUENCE_NUMBER',
      SequenceNumber: batch.startSequenceNumber,
    }),
  );
  const records: StreamRecord[] = [];
  while (iterator) {
    const { Records = [], NextShardIterator } = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
    for (const record of Records) {
      if (BigInt(sequenceOf(record) as string) > end) return records;
      records.push(record);
    }
    if (Records.length === 0) return records;
    iterator = NextShardIterator;
  }
  return records;
}

/**
 * Runs a failed batch through its function again, with the mapping's filter
 * applied as Lambda did the first time. Answers how many records went through,
 * or why the batch failed again (it then stays on the queue).
 */
export async function redriveFailedBatch(
  messageBody: string,
  { destination, streams, invoke }: { destination: StreamFailureDestination; streams: DynamoDBStreamsClient; invoke: Invoke },
): Promise<RedriveResult> {
  const batch = failedBatchOf(messageBody);
  const read = await recordsOfBatch(streams, batch);
  if (sequenceOf(read[0]) !== batch.startSequenceNumber)
    return { ok: false, reason: `the stream no longer holds records ${batch.startSequenceNumber}…${batch.endSequenceNumber}` };
  const passes = recordFilter(destination.mapping.FilterCriteria);
  const records = read.map((record) => toLambdaRecord(record, batch.streamArn)).filter((record) => passes(record));
  if (records.length === 0) return { ok: true, records: 0 };
  const invocation = await invoke(destination.functionName, { Records: records });
  const reports = (destination.mapping.FunctionResponseTypes ?? []).includes('ReportBatchItemFailures');
  const failedAt = firstFailedIndex(records, invocation, reports);
  if (failedAt < 0) return { ok: true, records: records.length };
  return {
    ok: false,
    reason: invocation.ok
      ? `${records.length - failedAt} record(s) failed again`
      : `the function failed: ${payloadField(invocation, 'errorMessage') ?? 'no answer'}`,
  };
}
