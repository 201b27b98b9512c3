import type { Readable } from 'node:stream';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createDocumentClient } from '@storefront/dynamodb';
import { countMetric, flushMetrics, logger, requiredEnv } from '@storefront/lambda-runtime';
import type { S3Event } from 'aws-lambda';
import { catalogWriter } from '../adapters/catalog-store';
import { csvRows } from '../adapters/csv-rows';
import { importCatalog } from '../domain/catalog-import';

const s3 = new S3Client({});
const save = catalogWriter(createDocumentClient(), requiredEnv('INVENTORY_TABLE'));

/** S3 keys arrive URL-encoded, with spaces as '+'. */
const objectKey = (raw: string) => decodeURIComponent(raw.replace(/\+/g, ' '));

/**
 * Imports `imports/<name>.csv` as it is uploaded: streamed row by row, good
 * rows upserted in batches, and `imports/<name>.result.json` written next to
 * it with the counts and the first errors by line number.
 */
export const handler = async (event: S3Event): Promise<void> => {
  for (const record of event.Records) {
    const bucket = record.s3.bucket.name;
    const key = objectKey(record.s3.object.key);
    const { Body } = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    let result;
    try {
      result = await importCatalog(key, csvRows(Body as Readable), save);
    } catch (error) {
      // A file that cannot be read at all (e.g. a wrong header) still gets a result that says why.
      result = {
        file: key,
        rows: 0,
        imported: 0,
        rejected: 0,
        errors: [{ line: 1, message: (error as Error).message.replace(/^line 1: /, '') }],
        moreErrors: 0,
      };
    }
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key.replace(/\.csv$/i, '.result.json'),
        Body: JSON.stringify(result, null, 2),
        ContentType: 'application/json',
      }),
    );
    countMetric('CatalogRowsImported', result.imported);
    countMetric('CatalogRowsRejected', result.rejected);
    logger.info('catalog imported', { file: key, rows: result.rows, imported: result.imported, rejected: result.rejected });
  }
  flushMetrics();
};
