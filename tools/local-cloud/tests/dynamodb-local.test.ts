import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { indexStreamRecords, STREAM_RECORDS_INDEX } from '../src/emulators/dynamodb/stream-records-index.ts';

// DynamoDB Local's own stream records table (from its jar), and the queries it looks a shard's records up with.
const STREAM_RECORDS_TABLE =
  'CREATE TABLE IF NOT EXISTS us (StreamID TEXT, ShardID TEXT, SequenceNumber INTEGER, CreationDateTime INTEGER, StreamRecord BLOB, OperationType TEXT, PRIMARY KEY(SequenceNumber));';
const SHARD_QUERIES = {
  GetRecords:
    'SELECT SequenceNumber, StreamRecord, OperationType, CreationDateTime FROM us WHERE StreamID = ? AND ShardID = ? AND SequenceNumber >= ? AND CreationDateTime > ? ORDER BY SequenceNumber ASC LIMIT ?;',
  'the last sequence number of a shard': 'SELECT SequenceNumber FROM us WHERE ShardID=? ORDER BY SequenceNumber DESC LIMIT 1;',
  'the first record of a shard':
    'SELECT SequenceNumber, CreationDateTime FROM us WHERE ShardID = ? AND CreationDateTime >= ? ORDER BY SequenceNumber ASC LIMIT 1;',
};

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dynamodb-local-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function database(statements: string): string {
  const file = join(dir, 'shared-local-instance.db');
  const db = new DatabaseSync(file);
  db.exec(statements);
  db.close();
  return file;
}

function planOf(file: string, query: string): string {
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    return (db.prepare(`EXPLAIN QUERY PLAN ${query}`).all() as { detail: string }[]).map((row) => row.detail).join('; ');
  } finally {
    db.close();
  }
}

describe('indexing the stream records of DynamoDB Local', () => {
  it('indexes them by shard, so each lookup of a shard is a search rather than a scan of every record', () => {
    // Prepare
    const file = database(STREAM_RECORDS_TABLE);
    const before = Object.values(SHARD_QUERIES).map((query) => planOf(file, query));

    // Act
    const indexed = indexStreamRecords(file);

    // Assert
    expect(indexed).toBe(true);
    expect(before.filter((plan) => plan.includes(STREAM_RECORDS_INDEX))).toEqual([]);
    for (const query of Object.values(SHARD_QUERIES)) expect(planOf(file, query)).toContain(`INDEX ${STREAM_RECORDS_INDEX} (ShardID=?`);
  });

  it('finds the index there on the next start, and makes no second one', () => {
    // Prepare
    const file = database(STREAM_RECORDS_TABLE);
    indexStreamRecords(file);

    // Act
    const again = indexStreamRecords(file);

    // Assert
    expect(again).toBe(true);
    const db = new DatabaseSync(file, { readOnly: true });
    const indexes = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'us'`).all();
    db.close();
    expect(indexes).toEqual([{ name: STREAM_RECORDS_INDEX }]);
  });

  it('leaves a database without stream records, and a missing one, as they are', () => {
    // Prepare
    const withoutStreams = database('CREATE TABLE dm (TableName TEXT, PRIMARY KEY(TableName));');
    const missing = join(dir, 'missing', 'shared-local-instance.db');

    // Act
    const answers = [indexStreamRecords(withoutStreams), indexStreamRecords(missing)];

    // Assert
    expect(answers).toEqual([false, false]);
    expect(existsSync(missing)).toBe(false);
  });
});
