import { createDocumentClient } from '@storefront/dynamodb';
import { countMetric, logger, requiredEnv, s3ObjectHandler } from '@storefront/lambda-runtime';
import { S3CatalogFiles } from '../adapters/catalog-files';
import { catalogWriter } from '../adapters/catalog-store';
import { importCatalog, type ImportResult } from '../domain/catalog-import';

const files = new S3CatalogFiles();
const save = catalogWriter(createDocumentClient(), requiredEnv('INVENTORY_TABLE'));

/**
 * Imports `imports/<name>.csv` as it is uploaded: streamed row by row, good
 * rows upserted in batches, and `imports/<name>.result.json` written next to
 * it with the counts and the first errors by line number.
 */
export const handler = s3ObjectHandler(async (file) => {
  const rows = await files.rows(file);
  let result: ImportResult;
  try {
    result = await importCatalog(file.key, rows, save);
  } catch (error) {
    // A file that cannot be read at all (e.g. a wrong header) still gets a result that says why.
    result = {
      file: file.key,
      rows: 0,
      imported: 0,
      rejected: 0,
      errors: [{ line: 1, message: (error as Error).message.replace(/^line 1: /, '') }],
      moreErrors: 0,
    };
  }
  await files.saveResult(file, result);
  countMetric('CatalogRowsImported', result.imported);
  countMetric('CatalogRowsRejected', result.rejected);
  logger.info('catalog imported', { file: file.key, rows: result.rows, imported: result.imported, rejected: result.rejected });
});
