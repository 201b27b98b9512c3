import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { requiredEnv } from '@storefront/lambda-runtime';
import type { ReportFiles } from '../domain/ports';

/** Report files in the reports bucket (encrypted at rest by the bucket's default, never public). */
export class S3ReportFiles implements ReportFiles {
  constructor(
    private readonly s3: S3Client,
    readonly bucket: string,
  ) {}

  async write(key: string, body: string, contentType: string): Promise<void> {
    await this.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType }));
  }
}

/** The reports bucket named by REPORTS_BUCKET, through one client per sandbox. */
export const reportFilesFromEnvironment = (): S3ReportFiles => new S3ReportFiles(new S3Client({}), requiredEnv('REPORTS_BUCKET'));
