import { existsSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';

/** The database file DynamoDB Local keeps every table in with `-sharedDb`. */
export const SHARED_DATABASE_FILE = 'shared-local-instance.db';

/** The index this module adds to DynamoDB Local's stream records table. */
export const STREAM_RECORDS_INDEX = 'us*ShardID';

/**
 * DynamoDB Local keeps the stream records of every table in one SQLite table of its database file, `us`
 * (StreamID, ShardID, SequenceNumber, CreationDateTime, StreamRecord, OperationType), kept 24 hours and keyed by
 * sequence number only. It finds a shard's records by ShardID, so without an index each GetRecords on a shard
 * with nothing new reads every record any table wrote after that shard's position, and GetShardIterator reads
 * back through them for the shard's last sequence number. The stack polls every table's stream 4 times a second:
 * while one table takes thousands of writes, the pollers of the quiet tables read through all of its records, on
 * the emulator's one SQLite thread, and its writes wait behind them (a GetRecords on a quiet shard cost 170 ms of
 * CPU after 45,000 records, and grows with every record).
 *
 * An index on ShardID lets SQLite find a shard's records in sequence order (the index holds the rowid, which is
 * the sequence number), so each of those queries is a lookup again; it changes no answer. (On ShardID and
 * SequenceNumber it would be worse: DynamoDB Local's SQLite, 3.8.7, then searches it by ShardID alone and walks a
 * busy shard's records from the first.) Kept in the database file, it is created once: `true` once it is there,
 * `false` when there is no file or no stream records table yet.
 */
export function indexStreamRecords(databaseFile: string): boolean {
  if (!existsSync(databaseFile)) return false;
  // Should DynamoDB Local be writing at that moment, wait for it rather than fail.
  const database = new DatabaseSync(databaseFile, { timeout: 10_000 });
  try {
    const columns = database.prepare(`SELECT name FROM pragma_table_info('us')`).all() as { name: string }[];
    if (!columns.some(({ name }) => name === 'ShardID')) return false;
    database.exec(`CREATE INDEX IF NOT EXISTS "${STREAM_RECORDS_INDEX}" ON us (ShardID)`);
    return true;
  } finally {
    database.close();
  }
}
