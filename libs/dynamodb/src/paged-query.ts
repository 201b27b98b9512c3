import { QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { ValidationError } from '@storefront/errors';
import { decodeCursor, encodeCursor } from './cursor';

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

/**
 * One page of a query on one partition, with an opaque cursor for the next.
 * A cursor issued for another partition is a client error, not a 500.
 */
export async function pagedQuery<T>(
  client: DynamoDBDocumentClient,
  query: Omit<QueryCommandInput, 'Limit' | 'ExclusiveStartKey'> & { partition: { name: string; value: string } },
  page: { limit: number; cursor?: string },
  toItem: (item: Record<string, unknown>) => T,
): Promise<Page<T>> {
  const { partition, ...input } = query;
  const startKey = decodeCursor(page.cursor);
  if (startKey && startKey[partition.name] !== partition.value) {
    throw new ValidationError('The page cursor belongs to another listing', [
      { path: 'query.cursor', message: 'use the nextCursor of a previous page of this listing' },
    ]);
  }
  const result = await client.send(new QueryCommand({ ...input, Limit: page.limit, ExclusiveStartKey: startKey }));
  const nextCursor = encodeCursor(result.LastEvaluatedKey);
  return { items: (result.Items ?? []).map(toItem), ...(nextCursor ? { nextCursor } : {}) };
}
