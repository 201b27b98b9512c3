export { createDocumentClient } from './client';
export { PageCursors, type DynamoKey, type KeySchema, type PageListing } from './page-cursor';
export { conditionFailed, retryTransactionConflicts, type ConflictRetryOptions } from './write-errors';
export { newImageOf } from './stream';
export { pagedQuery, type Page, type PagedQuery } from './paged-query';
