export { createDocumentClient } from './client';
export { decodeCursor, encodeCursor, type DynamoKey } from './cursor';
export { conditionFailedAt } from './transactions';
export { newImageOf } from './stream';
export { pagedQuery, type Page } from './paged-query';
