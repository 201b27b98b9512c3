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
import { FIGURES_PREFIX, keys } from './table-layout';

interface StateItem {
  date: string;
  version?: number;
  builtVersion?: number;
  report?: Omit<RecordedDay, 'builtVersion'>;
}

const stateOf = (date: string, item: StateItem | undefined): DayState => ({
  date,
  version: item?.version ?? 0,
  ...(item?.builtVersion !== undefined ? { builtVersion: item.builtVersion } : {}),
});

/** Day states, figures, builds and recorded reports in the reporting table (see resources/reporting.yml). */
export class DynamoDbReportsRepository implements ReportsRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async dayStates(dates: string[]): Promise<DayState[]> {
    const found = new Map<string, StateItem>();
    let pending: Record<string, unknown>[] = dates.map(keys.dayState);
    while (pending.length) {
      const { Responses, UnprocessedKeys } = await this.client.send(
        new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: pending, ConsistentRead: true } } }),
      );
      for (const item of (Responses?.[this.tableName] ?? []) as StateItem[]) found.set(item.date, item);
      pending = (UnprocessedKeys?.[this.tableName]?.Keys ?? []) as Record<string, unknown>[];
    }
    return dates.map((date) => stateOf(date, found.get(date)));
  }

  async dayFigures(date: string): Promise<{ version: number; rows: FiguresRow[] }> {
    // The version first: every change adds to the figures and the version in one write, so rows read after it reflect it at least.
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: keys.dayState(date), ConsistentRead: true }));
    const rows: FiguresRow[] = [];
    let start: QueryCommandOutput['LastEvaluatedKey'];
    do {
      const page: QueryCommandOutput = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :day AND begins_with(SK, :figures)',
          ExpressionAttributeValues: { ':day': keys.dayState(date).PK, ':figures': FIGURES_PREFIX },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      rows.push(...((page.Items ?? []) as FiguresRow[]));
      start = page.LastEvaluatedKey;
    } while (start);
    return { version: stateOf(date, Item as StateItem | undefined).version, rows };
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
    return { ...item.report, builtVersion: item.builtVersion, stale: (item.version ?? 0) > item.builtVersion };
  }
}
