import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { failedBatchOf, redriveFailedBatch, streamFailureDestinations } from '../src/event-sources/stream-failures.ts';
import type { DescribedService } from '../src/common/types.ts';

const STREAM = 'arn:aws:dynamodb:us-east-1:000000000000:table/orders/stream/local';
const outboxOnly = {
  Filters: [{ Pattern: JSON.stringify({ eventName: ['INSERT'], dynamodb: { NewImage: { entityType: { S: ['OUTBOX_EVENT'] } } } }) }],
};
const mapping = {
  EventSourceArn: STREAM,
  FunctionName: 'arn:aws:lambda:us-east-1:000000000000:function:orders-publishEvents',
  FunctionResponseTypes: ['ReportBatchItemFailures'],
  FilterCriteria: outboxOnly,
  DestinationConfig: { OnFailure: { Destination: 'arn:aws:sqs:us-east-1:000000000000:orders-outbox-failed' } },
};
const destination = {
  queue: 'orders-outbox-failed',
  service: 'orders',
  functionName: 'orders-publishEvents',
  table: 'orders',
  mapping,
};

const record = (sequence: string, entityType: string) => ({
  eventName: 'INSERT',
  dynamodb: { SequenceNumber: sequence, NewImage: { entityType: { S: entityType } } },
});
/** A failure message as the stream event source writes it: it describes the batch, it does not carry it. */
const failureMessage = (start: string, end: string) =>
  JSON.stringify({
    requestContext: { condition: 'RetryAttemptsExhausted' },
    DDBStreamBatchInfo: { shardId: 'shard-1', startSequenceNumber: start, endSequenceNumber: end, batchSize: 2, streamArn: STREAM },
  });

/** A DynamoDB Streams client over one shard's records, read a page of two at a time. */
function streamsHolding(records: ReturnType<typeof record>[]) {
  return {
    send: async (command: { input: { SequenceNumber?: string; ShardIterator?: string } }) => {
      if (command.input.SequenceNumber !== undefined) {
        const from = records.findIndex((r) => r.dynamodb.SequenceNumber === command.input.SequenceNumber);
        return { ShardIterator: String(from < 0 ? records.length : from) };
      }
      const at = Number(command.input.ShardIterator);
      return { Records: records.slice(at, at + 2), NextShardIterator: String(at + 2) };
    },
  } as unknown as DynamoDBStreamsClient;
}

describe('stream failure destinations', () => {
  it('finds every stream mapping with an on-failure queue in the described templates', () => {
    const described = [
      {
        service: { name: 'orders' },
        template: {
          resources: [
            { type: 'AWS::Lambda::EventSourceMapping', properties: mapping },
            {
              type: 'AWS::Lambda::EventSourceMapping',
              properties: { EventSourceArn: 'arn:aws:sqs:us-east-1:000000000000:q', FunctionName: 'x' },
            },
          ],
        },
      },
    ];

    expect(streamFailureDestinations(described as unknown as DescribedService[])).toEqual([destination]);
  });

  it('refuses a message that does not describe a stream batch', () => {
    expect(() => failedBatchOf('{"hello":"world"}')).toThrow('does not describe a stream batch');
  });

  it('runs the records of a failed batch through the function again, filtered as the mapping filters them', async () => {
    const streams = streamsHolding([
      record('10', 'OUTBOX_EVENT'),
      record('11', 'ORDER'),
      record('12', 'OUTBOX_EVENT'),
      record('13', 'OUTBOX_EVENT'),
    ]);
    const invoke = jest.fn(async () => ({ ok: true, payload: { batchItemFailures: [] } }));

    const result = await redriveFailedBatch(failureMessage('10', '12'), { destination, streams, invoke });

    expect(result).toEqual({ ok: true, records: 2 });
    expect(invoke).toHaveBeenCalledWith('orders-publishEvents', {
      Records: [
        expect.objectContaining({ eventSourceARN: STREAM, dynamodb: expect.objectContaining({ SequenceNumber: '10' }) }),
        expect.objectContaining({ dynamodb: expect.objectContaining({ SequenceNumber: '12' }) }),
      ],
    });
  });

  it('reports a batch that fails again, so its message stays on the queue', async () => {
    const streams = streamsHolding([record('10', 'OUTBOX_EVENT')]);
    const invoke = async () => ({ ok: true, payload: { batchItemFailures: [{ itemIdentifier: '10' }] } });

    const result = await redriveFailedBatch(failureMessage('10', '10'), { destination, streams, invoke });

    expect(result).toEqual({ ok: false, reason: '1 record(s) failed again' });
  });

  it('says so when the stream no longer holds the records', async () => {
    const invoke = jest.fn();

    const result = await redriveFailedBatch(failureMessage('10', '12'), {
      destination,
      streams: streamsHolding([record('20', 'OUTBOX_EVENT')]),
      invoke,
    });

    expect(result).toEqual({ ok: false, reason: 'the stream no longer holds records 10…12' });
    expect(invoke).not.toHaveBeenCalled();
  });
});
