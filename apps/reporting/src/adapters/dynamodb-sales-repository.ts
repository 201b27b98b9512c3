import { GetCommand, TransactWriteCommand, type DynamoDBDocumentClient, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { conditionFailed, retryTransactionConflicts } from '@storefront/dynamodb';
import { ConcurrentSalesUpdateError } from '../domain/errors';
import type { SalesRepository } from '../domain/ports';
import type { DayChange, Figures, OrderSales } from '../domain/sales';
import { keys, shardOf } from './table-layout';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** Adds figures to a row, creating it at zero when it is the day's first. */
function addFigures(tableName: string, key: { PK: string; SK: string }, figures: Figures, labels: Record<string, string>): TransactItem {
  const names = Object.keys(figures);
  const labelNames = Object.keys(labels);
  return {
    Update: {
      TableName: tableName,
      Key: key,
      UpdateExpression: `ADD ${names.map((n) => `#${n} :${n}`).join(', ')} SET ${labelNames.map((n) => `#${n} = :${n}`).join(', ')}`,
      ExpressionAttributeNames: Object.fromEntries([...names, ...labelNames].map((n) => [`#${n}`, n])),
      ExpressionAttributeValues: Object.fromEntries([...Object.entries(figures), ...Object.entries(labels)].map(([n, v]) => [`:${n}`, v])),
    },
  };
}

/** Orders' sales records and the day figures they add to, in the reporting table (see resources/reporting.yml). */
export class DynamoDbSalesRepository implements SalesRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async findOrder(orderId: string): Promise<OrderSales | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.orderSales(orderId), ConsistentRead: true }),
    );
    if (!Item) return undefined;
    const { revision, sale, refund } = Item as OrderSales;
    return { orderId, revision, ...(sale ? { sale } : {}), ...(refund ? { refund } : {}) };
  }

  async saveOrder(record: OrderSales, changes: DayChange[], at: string): Promise<void> {
    const order: TransactItem = {
      Put: {
        TableName: this.tableName,
        Item: { ...keys.orderSales(record.orderId), entityType: 'ORDER_SALES', ...record },
        ...(record.revision === 1
          ? { ConditionExpression: 'attribute_not_exists(PK)' }
          : { ConditionExpression: '#revision = :previous', ExpressionAttributeNames: { '#revision': 'revision' } }),
        ...(record.revision === 1 ? {} : { ExpressionAttributeValues: { ':previous': record.revision - 1 } }),
      },
    };
    const shard = shardOf(record.orderId);
    const figures = changes.flatMap(({ day, currency, totals, skus }) => [
      addFigures(this.tableName, keys.currencyFigures(day, currency, shard), totals, { currency }),
      ...skus.map(({ sku, figures }) => addFigures(this.tableName, keys.skuFigures(day, currency, sku), figures, { currency, sku })),
    ]);
    // Every change of a day counts once on the day, in the same write: a built report knows which changes it reflects.
    const days = [...new Set(changes.map((c) => c.day))].map((day): TransactItem => ({
      Update: {
        TableName: this.tableName,
        Key: keys.dayVersion(day, shard),
        UpdateExpression: 'ADD version :one SET #date = :date, lastChangeAt = :at',
        ExpressionAttributeNames: { '#date': 'date' },
        ExpressionAttributeValues: { ':one': 1, ':date': day, ':at': at },
      },
    }));
    try {
      await retryTransactionConflicts(() => this.client.send(new TransactWriteCommand({ TransactItems: [order, ...figures, ...days] })));
    } catch (error) {
      if (conditionFailed(error, 0)) throw new ConcurrentSalesUpdateError(record.orderId, { cause: error });
      throw error;
    }
  }
}
