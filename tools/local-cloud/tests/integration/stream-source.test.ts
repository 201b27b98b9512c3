import type { SQSClient } from '@aws-sdk/client-sqs';
import { CreateTableCommand, PutItemCommand, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import { emptyDynamoDbLocal, type DynamoDbLocal } from '@storefront/testing';
import { Checkpoints, startStreamSource } from '../../src/event-sources/stream-source.ts';

interface StreamRecord {
  dynamodb: { SequenceNumber: string; NewImage: { id: { S: string } } };
}
interface Invocation {
  ok: boolean;
  payload?: unknown;
}

let dynamo: DynamoDbLocal;
let tables = 0;

beforeAll(async () => {
  dynamo = await emptyDynamoDbLocal();
});

afterAll(async () => {
  await dynamo?.stop();
});

async function tableWithItems(count: number) {
  const name = `stream-source-${++tables}`;
  await dynamo.client.send(
    new CreateTableCommand({
      TableName: name,
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
    }),
  );
  await waitUntilTableExists({ client: dynamo.client, maxWaitTime: 30 }, { TableName: name });
  for (let i = 1; i <= count; i++) await put(name, String(i));
  return name;
}

const put = (table: string, id: string) => dynamo.client.send(new PutItemCommand({ TableName: table, Item: { id: { S: id } } }));
const idsOf = (event: { Records: StreamRecord[] }) => event.Records.map((r) => r.dynamodb.NewImage.id.S);

/** Runs the stream source on a table, as the local stack would, recording every batch and failure report. */
function runSource(table: string, respond: (ids: string[], event: { Records: StreamRecord[] }) => Invocation) {
  const batches: string[][] = [];
  const failureReports: { DDBStreamBatchInfo: { batchSize: number; startSequenceNumber: string; endSequenceNumber: string } }[] = [];
  const sequenceOf = new Map<string, string>();
  const abort = new AbortController();
  const sqs = {
    send: async (command: { input: { QueueName?: string; MessageBody?: string } }) => {
      if (command.input.MessageBody) failureReports.push(JSON.parse(command.input.MessageBody));
      return { QueueUrl: 'failure-queue' };
    },
  } as unknown as SQSClient;
  const running = startStreamSource({
    mapping: {
      EventSourceArn: `arn:aws:dynamodb:us-east-1:000000000000:table/${table}/stream/local`,
      FunctionName: 'arn:aws:lambda:us-east-1:000000000000:function:relay',
      BatchSize: 10,
      StartingPosition: 'TRIM_HORIZON',
      MaximumRetryAttempts: 2,
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: 'arn:aws:sqs:us-east-1:000000000000:failed' } },
    },
    clients: { dynamodb: dynamo.client, sqs },
    streamsEndpoint: dynamo.endpoint,
    invoke: async (_name, invoked) => {
      const event = invoked as { Records: StreamRecord[] };
      const ids = idsOf(event);
      batches.push(ids);
      event.Records.forEach((r) => sequenceOf.set(r.dynamodb.NewImage.id.S, r.dynamodb.SequenceNumber));
      return respond(ids, event);
    },
    region: 'us-east-1',
    log: () => undefined,
    signal: abort.signal,
    checkpoints: new Checkpoints(undefined),
  });
  return {
    batches,
    failureReports,
    sequenceOf,
    stop: async () => {
      abort.abort();
      await running;
    },
  };
}

async function until(condition: () => boolean, what: string) {
  const deadline = Date.now() + 20_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('the local DynamoDB Streams event source, on DynamoDB Local', () => {
  it('delivers records in order and does not deliver them again after success', async () => {
    const table = await tableWithItems(3);
    const source = runSource(table, () => ({ ok: true, payload: { batchItemFailures: [] } }));

    await until(() => source.batches.flat().length >= 3, 'three records');
    await put(table, '4');
    await until(() => source.batches.flat().includes('4'), 'the fourth record');
    await source.stop();

    expect(source.batches.flat()).toEqual(['1', '2', '3', '4']);
  });

  it('picks up a record written after quiet polls once, reading on from where the last poll ended', async () => {
    const table = await tableWithItems(1);
    const source = runSource(table, () => ({ ok: true, payload: { batchItemFailures: [] } }));
    await until(() => source.batches.flat().length >= 1, 'the first record');

    // A second of empty polls, each following the last one's NextShardIterator.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await put(table, '2');
    await until(() => source.batches.flat().includes('2'), 'the second record');
    await new Promise((resolve) => setTimeout(resolve, 600));
    await source.stop();

    expect(source.batches.flat()).toEqual(['1', '2']);
  });

  it('retries from the first reported failure, then describes the rest of the batch on the on-failure queue', async () => {
    const table = await tableWithItems(3);
    const source = runSource(table, (ids, event) => {
      const failed = event.Records.find((r) => r.dynamodb.NewImage.id.S === '2');
      return { ok: true, payload: { batchItemFailures: failed ? [{ itemIdentifier: failed.dynamodb.SequenceNumber }] : [] } };
    });

    await until(() => source.failureReports.length === 1, 'the failure report');
    await put(table, '4');
    await until(() => source.batches.flat().includes('4'), 'the stream to move on');
    await source.stop();

    expect(source.batches).toEqual([['1', '2', '3'], ['2', '3'], ['2', '3'], ['4']]);
    expect(source.failureReports[0]?.DDBStreamBatchInfo).toMatchObject({
      batchSize: 2,
      startSequenceNumber: source.sequenceOf.get('2'),
      endSequenceNumber: source.sequenceOf.get('3'),
    });
  });

  it('halves a batch whose invocation failed until the poison record is alone, and skips only that one', async () => {
    const table = await tableWithItems(3);
    const source = runSource(table, (ids) => ({ ok: !ids.includes('2') }));

    await until(() => source.failureReports.length === 1 && source.batches.flat().includes('3'), 'the poison record to be set aside');
    await source.stop();

    expect(source.batches).toEqual([['1', '2', '3'], ['1', '2'], ['1'], ['2', '3'], ['2'], ['2'], ['3']]);
    expect(source.failureReports[0]?.DDBStreamBatchInfo).toMatchObject({ batchSize: 1, startSequenceNumber: source.sequenceOf.get('2') });
  });
});
