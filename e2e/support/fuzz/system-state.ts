import { DescribeTableCommand, DynamoDBClient, ListTablesCommand, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '@storefront/testing';

/** Every table's items, key → item, each as JSON with sorted attribute names. */
export type TableState = Map<string, Map<string, string>>;

const sortedJson = (value: unknown): string =>
  JSON.stringify(value, (_, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  );

export async function snapshotTables(endpoint: string): Promise<TableState> {
  const client = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  try {
    const state: TableState = new Map();
    const { TableNames = [] } = await client.send(new ListTablesCommand({}));
    for (const table of TableNames) {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: table }));
      const keyNames = (Table?.KeySchema ?? []).map((key) => key.AttributeName as string);
      const items = new Map<string, string>();
      let start: Record<string, AttributeValue> | undefined;
      do {
        const page = await client.send(new ScanCommand({ TableName: table, ConsistentRead: true, ExclusiveStartKey: start }));
        for (const item of page.Items ?? []) items.set(sortedJson(keyNames.map((name) => item[name])), sortedJson(item));
        start = page.LastEvaluatedKey;
      } while (start);
      state.set(table, items);
    }
    return state;
  } finally {
    client.destroy();
  }
}

/** One line per table item added, removed or changed between two snapshots. */
export function tableChanges(before: TableState, after: TableState): string[] {
  const changes: string[] = [];
  for (const table of new Set([...before.keys(), ...after.keys()])) {
    const was = before.get(table) ?? new Map<string, string>();
    const is = after.get(table) ?? new Map<string, string>();
    for (const [key, item] of is) {
      if (!was.has(key)) changes.push(`${table}: added ${key} ${item}`);
      else if (was.get(key) !== item) changes.push(`${table}: changed ${key} to ${item}`);
    }
    for (const key of was.keys()) if (!is.has(key)) changes.push(`${table}: removed ${key}`);
  }
  return changes;
}

export type TrailEntries = Record<string, unknown>[];

export async function readTrail(url: string, attempts = 3): Promise<TrailEntries> {
  try {
    const response = await fetch(`${url}/_local/trail`);
    return (await response.json()) as TrailEntries;
  } catch (error) {
    // A kept-alive connection the gateway closed while this process was busy fails once; a fresh one answers.
    if (attempts <= 1) throw error;
    return readTrail(url, attempts - 1);
  }
}

/** Entries the trail gained: it only ever appends. */
export const trailChanges = (before: TrailEntries, after: TrailEntries): string[] =>
  after.slice(before.length).map((entry) => sortedJson(entry));

/** Waits until the trail has not moved for `quietMs`: every event in flight has landed. */
export async function settled(url: string, { quietMs = 3_000, timeoutMs = 60_000 } = {}): Promise<TrailEntries> {
  const deadline = Date.now() + timeoutMs;
  let last = await readTrail(url);
  let stableSince = Date.now();
  while (Date.now() - stableSince < quietMs) {
    if (Date.now() > deadline) throw new Error(`the system did not settle within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
    const current = await readTrail(url);
    if (current.length !== last.length) stableSince = Date.now();
    last = current;
  }
  return last;
}
