import type { Readable } from 'node:stream';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { CatalogRow, ImportResult } from '../domain/catalog-import';
import { csvRows } from './csv-rows';

/** A file in the imports bucket. */
export interface CatalogFile {
  bucket: string;
  key: string;
}

/** Where the result of importing `imports/<name>.csv` is written: `imports/<name>.result.json`, next to it. */
const resultKeyOf = (key: string) => key.replace(/\.csv$/i, '.result.json');

/** The catalog files uploaded to the imports bucket: each is read as it streams in, and answered with its result. */
export class S3CatalogFiles {
  constructor(private readonly s3: S3Client = new S3Client({})) {}

  /** The file's rows, read as they arrive; the file is never held in memory whole. */
  async rows(file: CatalogFile): Promise<AsyncIterable<CatalogRow>> {
    const { Body } = await this.s3.send(new GetObjectCommand({ Bucket: file.bucket, Key: file.key }));
    return csvRows(Body as Readable);
  }

  async saveResult(file: CatalogFile, result: ImportResult): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({
        Bucket: file.bucket,
        Key: resultKeyOf(file.key),
        Body: JSON.stringify(result, null, 2),
        ContentType: 'application/json',
      }),
    );
  }
}
