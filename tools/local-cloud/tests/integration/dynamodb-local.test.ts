import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import { freePort, LOCAL_CREDENTIALS, LOCAL_REGION } from '@storefront/testing';
import { startDynamoDbLocal } from '../../src/emulators/dynamodb/dynamodb-local.ts';
import { SHARED_DATABASE_FILE, STREAM_RECORDS_INDEX } from '../../src/emulators/dynamodb/stream-records-index.ts';
import { ProcessGroup } from '../../src/stack/processes.ts';

let stateDir: string;
beforeAll(() => {
  stateDir = mkdtempSync(join(tmpdir(), 'dynamodb-local-state-'));
});
afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

/** The local cloud's DynamoDB Local on the state folder, for as long as `use` runs. */
async function onDynamoDbLocal<T>(
  use: (clients: { dynamodb: DynamoDBClient; streams: DynamoDBStreamsClient; note?: string }) => Promise<T>,
) {
  const processes = new ProcessGroup(join(stateDir, 'processes.json'));
  try {
    const { endpoint, note } = await startDynamoDbLocal(processes, { port: await freePort(), dataDir: join(stateDir, 'dynamodb') });
    const config = { endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
    const dynamodb = new DynamoDBClient(config);
    const streams = new DynamoDBStreamsClient(config);
    try {
      return await use({ dynamodb, streams, ...(note ? { note } : {}) });
    } finally {
      dynamodb.destroy();
      streams.destroy();
    }
  } finally {
    await processes.stopAll();
  }
}

function streamRecordIndexes(): unknown[] {
  const db = new DatabaseSync(join(stateDir, 'dynamodb', SHARED_DATABASE_FILE), { readOnly: true });
  try {
    return db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'us'`).all();
  } finally {
    db.close();
  }
}

async function streamIds(streams: DynamoDBStreamsClient, dynamodb: DynamoDBClient, table: string): Promise<(string | undefined)[]> {
  const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: table }));
  const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: Table?.LatestStreamArn }));
  const ids: (string | undefined)[] = [];
  for (const shard of StreamDescription?.Shards ?? []) {
    const { ShardIterator } = await streams.send(
      new GetShardIteratorCommand({ StreamArn: Table?.LatestStreamArn, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' }),
    );
    const { Records = [] } = await streams.send(new GetRecordsCommand({ ShardIterator }));
    ids.push(...Records.map((record) => record.dynamodb?.Keys?.id?.S));
  }
  return ids;
}

describe("the local cloud's DynamoDB Local", () => {
  it('indexes its stream records on disk, and streams still read back in order across a restart', async () => {
    // Prepare: a table with a stream, written on a first start.
    const put = (dynamodb: DynamoDBClient, id: string) =>
      dynamodb.send(new PutItemCommand({ TableName: 'events', Item: { id: { S: id } } }));
    const first = await onDynamoDbLocal(async ({ dynamodb, streams, note }) => {
      await dynamodb.send(
        new CreateTableCommand({
          TableName: 'events',
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
        }),
      );
      for (const id of ['a', 'b', 'c']) await put(dynamodb, id);
      return { note, ids: await streamIds(streams, dynamodb, 'events'), indexes: streamRecordIndexes() };
    });

    // Act: start again on the same data.
    const second = await onDynamoDbLocal(async ({ dynamodb, streams, note }) => {
      await put(dynamodb, 'd');
      const kept = await dynamodb.send(new GetItemCommand({ TableName: 'events', Key: { id: { S: 'a' } }, ConsistentRead: true }));
      return { note, kept: kept.Item?.id?.S, ids: await streamIds(streams, dynamodb, 'events'), indexes: streamRecordIndexes() };
    });

    // Assert
    expect(first).toEqual({ note: undefined, ids: ['a', 'b', 'c'], indexes: [{ name: STREAM_RECORDS_INDEX }] });
    expect(second).toEqual({ note: undefined, kept: 'a', ids: ['a', 'b', 'c', 'd'], indexes: [{ name: STREAM_RECORDS_INDEX }] });
  }, 180_000);
});
