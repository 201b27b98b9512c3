import {
  BatchGetCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  type DynamoDBDocumentClient,
  type QueryCommandOutput,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import type { DailyReportReadyV1 } from '@storefront/contracts';
import { conditionFailed } from '@storefront/dynamodb';
import { outboxItem } from '@storefront/outbox';
import type { DayState, FiguresRow } from '../domain/daily-report';
import type { RecordedDay, ReportsRepository } from '../domain/ports';
import { FIGURES_PREFIX, keys, SHARDS, VERSION_PREFIX } from './table-layout';

interface StateItem {
  date: string;
  builtVersion?: number;
  report?: Omit<RecordedDay, 'builtVersion'>;
}

const shards = Array.from({ length: SHARDS }, (_, shard) => shard);

/** BatchGetItem takes at most this many keys. */
const BATCH_GET_LIMIT = 100;

/** Day states, figures, builds and recorded reports in the reporting table (see resources/reporting.yml). */
export class DynamoDbReportsRepository implements ReportsRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async dayStates(dates: string[]): Promise<DayState[]> {
    const items = await this.getAll(dates.flatMap((date) => [keys.dayState(date), ...shards.map((shard) => keys.dayVersion(date, shard))]));
    return dates.map((date) => {
      const state = items.find((item) => item.PK === `DAY#${date}` && item.SK === 'STATE') as StateItem | undefined;
      const version = items
        .filter((item) => item.PK === `DAY#${date}` && String(item.SK).startsWith(VERSION_PREFIX))
        .reduce((sum, item) => sum + Number(item.version ?? 0), 0);
      return { date, version, ...(state?.builtVersion !== undefined ? { builtVersion: state.builtVersion } : {}) };
    });
  }

  async dayFigures(date: string): Promise<{ version: number; rows: FiguresRow[] }> {
    // The version first: every change adds to the figures and the version in one write, so rows read after it reflect it at least.
    const version = (await this.queryDay(date, VERSION_PREFIX)).reduce((sum, item) => sum + Number(item.version ?? 0), 0);
    const rows = (await this.queryDay(date, FIGURES_PREFIX)) as unknown as FiguresRow[];
    return { version, rows };
  }

  /** Every item of the day's partition whose sort key starts with `prefix`, read consistently. */
  private async queryDay(date: string, prefix: string): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let start: QueryCommandOutput['LastEvaluatedKey'];
    do {
      const page: QueryCommandOutput = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :day AND begins_with(SK, :prefix)',
          ExpressionAttributeValues: { ':day': `DAY#${date}`, ':prefix': prefix },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }

  private async getAll(keyList: Record<string, unknown>[]): Promise<Record<string, unknown>[]> {
    const found: Record<string, unknown>[] = [];
    for (let i = 0; i < keyList.length; i += BATCH_GET_LIMIT) {
      let pending = keyList.slice(i, i + BATCH_GET_LIMIT);
      while (pending.length) {
        const { Responses, UnprocessedKeys } = await this.client.send(
          new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: pending, ConsistentRead: true } } }),
        );
        found.push(...(Responses?.[this.tableName] ?? []));
        pending = (UnprocessedKeys?.[this.tableName]?.Keys ?? []) as Record<string, unknown>[];
      }
    }
    return found;
  }

  async claimBuild(date: string, build: string, now: Date, until: Date): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.dayBuild(date), entityType: 'BUILD', heldBy: build, expiresAt: Math.ceil(until.getTime() / 1000) },
          ConditionExpression: 'attribute_not_exists(PK) OR heldBy = :build OR expiresAt < :now',
          ExpressionAttributeValues: { ':build': build, ':now': Math.floor(now.getTime() / 1000) },
        }),
      );
      return true;
    } catch (error) {
      if (conditionFailed(error)) return false;
      throw error;
    }
  }

  async releaseBuild(date: string, build: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: keys.dayBuild(date),
          ConditionExpression: 'heldBy = :build',
          ExpressionAttributeValues: { ':build': build },
        }),
      );
    } catch (error) {
      // Another build holds it now (this one's hold ran out): it is not this build's to release.
      if (!conditionFailed(error)) throw error;
    }
  }

  async recordReport({ builtVersion, ...report }: RecordedDay, event: DailyReportReadyV1): Promise<boolean> {
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: keys.dayState(report.date),
                UpdateExpression: 'SET #date = :date, report = :report, builtVersion = :built',
                ConditionExpression: 'attribute_not_exists(builtVersion) OR builtVersion <= :built',
                ExpressionAttributeNames: { '#date': 'date' },
                ExpressionAttributeValues: { ':date': report.date, ':report': report, ':built': builtVersion },
              },
            },
            { Put: { TableName: this.tableName, Item: outboxItem(keys.outboxEvent(event), event) } },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (conditionFailed(error, 0)) return false;
      throw error;
    }
  }

  async findReport(date: string): Promise<(RecordedDay & { stale: boolean }) | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: keys.dayState(date) }));
    const item = Item as StateItem | undefined;
    if (!item?.report || item.builtVersion === undefined) return undefined;
    const [state] = await this.dayStates([date]);
    return { ...item.report, builtVersion: item.builtVersion, stale: (state?.version ?? 0) > item.builtVersion };
  }
}
