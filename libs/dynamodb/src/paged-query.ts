import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { partitionAttributeOf, type PageCursors, type PageListing } from './page-cursor';

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

export interface PagedQuery {
  /** What is read: one partition of a table or index. The cursors are signed for exactly this. */
  listing: PageListing;
  /** Sort-key order, as DynamoDB's ScanIndexForward: false for descending. */
  ascending?: boolean;
}

/**
 * One page of a listing, with a signed cursor for the next. The query is built
 * from the listing itself, so a cursor is always checked against what is read;
 * a cursor this listing did not issue is a 400 and never reaches DynamoDB.
 */
export async function pagedQuery<T>(
  client: DynamoDBDocumentClient,
  cursors: PageCursors,
  { listing, ascending = true }: PagedQuery,
  page: { limit: number; cursor?: string },
  toItem: (item: Record<string, unknown>) => T,
): Promise<Page<T>> {
  const startKey = cursors.open(listing, page.cursor);
  const result = await client.send(
    new QueryCommand({
      TableName: listing.table,
      ...(listing.index ? { IndexName: listing.index.name } : {}),
      KeyConditionExpression: '#partition = :partition',
      ExpressionAttributeNames: { '#partition': partitionAttributeOf(listing) },
      ExpressionAttributeValues: { ':partition': listing.partition },
      ScanIndexForward: ascending,
      Limit: page.limit,
      ExclusiveStartKey: startKey,
    }),
  );
  const nextCursor = cursors.issue(listing, result.LastEvaluatedKey);
  return { items: (result.Items ?? []).map(toItem), ...(nextCursor ? { nextCursor } : {}) };
}
