/**
 * The on-failure destinations of DynamoDB stream event source mappings (the
 * outbox relays' "outbox-failed" queues). A message there only describes the
 * batch Lambda gave up on: shard, first and last sequence number. The records
 * themselves stay in the stream (24 hours on AWS; DynamoDB Local keeps them),
 * so redriving reads them back and runs them through the same relay function
 * again, which is what publishes them.
 */
import { GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import { recordFilter } from './event-filter.mjs';
import { resourcesOf } from './stack-layout.mjs';
import { firstFailedIndex, toLambdaRecord } from './stream-source.mjs';

const nameFromArn = (arn) => String(arn).split(':').at(-1);

/** Every stream mapping with an on-failure queue: the queue, the function, the table whose stream feeds it. */
export function streamFailureDestinations(described) {
  return resourcesOf(described, 'AWS::Lambda::EventSourceMapping')
    .filter(({ properties: p }) => String(p.EventSourceArn).includes(':dynamodb:') && p.DestinationConfig?.OnFailure?.Destination)
    .map(({ service, properties: mapping }) => ({
      queue: nameFromArn(mapping.DestinationConfig.OnFailure.Destination),
      service,
      functionName: nameFromArn(mapping.FunctionName),
      table: /table\/([^/]+)/.exec(mapping.EventSourceArn)?.[1],
      mapping,
    }));
}

/** The batch a failure message describes. */
export function failedBatchOf(messageBody) {
  const info = JSON.parse(messageBody)?.DDBStreamBatchInfo;
  if (!info?.shardId || !info.startSequenceNumber || !info.endSequenceNumber || !info.streamArn)
    throw new Error('the message does not describe a stream batch (DDBStreamBatchInfo)');
  return info;
}

/** The records of a failed batch, read back from its shard: from its first sequence number through its last. */
export async function recordsOfBatch(streams, batch) {
  const end = BigInt(batch.endSequenceNumber);
  let { ShardIterator: iterator } = await streams.send(
    new GetShardIteratorCommand({
      StreamArn: batch.streamArn,
      ShardId: batch.shardId,
      ShardIteratorType: 'AT_SEQUENCE_NUMBER',
      SequenceNumber: batch.startSequenceNumber,
    }),
  );
  const records = [];
  while (iterator) {
    const { Records = [], NextShardIterator } = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
    for (const record of Records) {
      if (BigInt(record.dynamodb.SequenceNumber) > end) return records;
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
export async function redriveFailedBatch(messageBody, { destination, streams, invoke }) {
  const batch = failedBatchOf(messageBody);
  const read = await recordsOfBatch(streams, batch);
  if (read[0]?.dynamodb.SequenceNumber !== batch.startSequenceNumber)
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
      : `the function failed: ${invocation.payload?.errorMessage ?? 'no answer'}`,
  };
}
