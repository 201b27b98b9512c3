import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ValidationError } from '@storefront/errors';
import { mockClient } from 'aws-sdk-client-mock';
import { createDocumentClient, PageCursors, pagedQuery, type PageListing } from '../src';

const dynamo = mockClient(DynamoDBDocumentClient);
const client = createDocumentClient();
const cursors = new PageCursors('unit-test-page-cursor-key-0123456789abcdef');
const products: PageListing = {
  table: 'inventory',
  key: ['PK', 'SK'],
  index: { name: 'GSI1', key: ['GSI1PK', 'GSI1SK'] },
  partition: 'PRODUCTS',
};
const lastKey = { PK: 'PRODUCT#B', SK: 'PRODUCT', GSI1PK: 'PRODUCTS', GSI1SK: 'B' };
const asSku = (item: Record<string, unknown>) => String(item.sku);

beforeEach(() => dynamo.reset());

describe('pagedQuery', () => {
  it('reads the listing it signs for, and continues where the cursor points', async () => {
    dynamo
      .on(QueryCommand)
      .resolvesOnce({ Items: [{ sku: 'A' }, { sku: 'B' }], LastEvaluatedKey: lastKey })
      .resolvesOnce({ Items: [{ sku: 'C' }] });

    const first = await pagedQuery(client, cursors, { listing: products }, { limit: 2 }, asSku);
    const second = await pagedQuery(client, cursors, { listing: products }, { limit: 2, cursor: first.nextCursor as string }, asSku);

    expect(first.items).toEqual(['A', 'B']);
    expect(second).toEqual({ items: ['C'] });
    const [firstQuery, secondQuery] = dynamo.commandCalls(QueryCommand).map((call) => call.args[0].input);
    expect(firstQuery).toMatchObject({
      TableName: 'inventory',
      IndexName: 'GSI1',
      KeyConditionExpression: '#partition = :partition',
      ExpressionAttributeNames: { '#partition': 'GSI1PK' },
      ExpressionAttributeValues: { ':partition': 'PRODUCTS' },
      ScanIndexForward: true,
      Limit: 2,
    });
    expect(firstQuery?.ExclusiveStartKey).toBeUndefined();
    expect(secondQuery?.ExclusiveStartKey).toEqual(lastKey);
  });

  it('refuses a cursor of another listing before querying', async () => {
    const otherPartition = cursors.issue({ ...products, partition: 'ARCHIVED' }, { ...lastKey, GSI1PK: 'ARCHIVED' }) as string;

    const attempt = pagedQuery(client, cursors, { listing: products }, { limit: 2, cursor: otherPartition }, asSku);

    await expect(attempt).rejects.toBeInstanceOf(ValidationError);
    expect(dynamo.commandCalls(QueryCommand)).toHaveLength(0);
  });
});
