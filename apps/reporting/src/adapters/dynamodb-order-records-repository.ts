import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { conditionFailed } from '@storefront/dynamodb';
import type { OrderRecord } from '../domain/order-record';
import type { OrderRecordsRepository } from '../domain/ports';

/** One item per order (see resources/reporting.yml); the key is the order id, so a redelivery collides. */
export class DynamoDbOrderRecordsRepository implements OrderRecordsRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async saveOnce(record: OrderRecord): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { PK: keyOf(record.orderId), ...record },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
      return true;
    } catch (error) {
      if (conditionFailed(error)) return false;
      throw error;
    }
  }

  async find(orderId: string): Promise<OrderRecord | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { PK: keyOf(orderId) } }));
    if (!Item) return undefined;
    const { customerId, units, placedAt } = Item as OrderRecord;
    return { orderId, customerId, units, placedAt };
  }
}

const keyOf = (orderId: string) => `ORDER#${orderId}`;
