import { randomUUID } from 'node:crypto';
import { createDocumentClient } from '@storefront/dynamodb';
import { requiredEnv } from '@storefront/lambda-runtime';
import type { DownloadLinks, ReportFiles, ReportWorkflow } from '../domain/ports';
import { ReportsService } from '../domain/reports-service';
import { SalesService } from '../domain/sales-service';
import { DynamoDbReportsRepository } from './dynamodb-reports-repository';
import { DynamoDbSalesRepository } from './dynamodb-sales-repository';

/** Counting sales, as the consumers use it: one client per sandbox, created at cold start. */
export function createSalesService(): SalesService {
  return new SalesService({
    repository: new DynamoDbSalesRepository(createDocumentClient(), requiredEnv('REPORTING_TABLE')),
    now: () => new Date(),
  });
}

/** What a function that does not use a part gets in its place: it fails loudly should it ever be called. */
function notWired(part: string): () => never {
  return () => {
    throw new Error(`${part} is not wired into this function`);
  };
}

/**
 * Building and serving reports. Each handler hands in the parts it uses (the report files, the download links,
 * the workflow) from their adapters, so a function's bundle holds only those clients (the S3 client is large) and
 * its environment only their settings (serverless.yml).
 */
export function createReportsService(
  parts: { files?: ReportFiles; links?: DownloadLinks; workflow?: ReportWorkflow } = {},
): ReportsService {
  return new ReportsService({
    repository: new DynamoDbReportsRepository(createDocumentClient(), requiredEnv('REPORTING_TABLE')),
    files: parts.files ?? {
      get bucket(): string {
        return notWired('The reports bucket')();
      },
      write: notWired('Writing report files'),
    },
    links: parts.links ?? { downloadUrl: notWired('Signing download links') },
    workflow: parts.workflow ?? { start: notWired('Starting the daily report workflow') },
    now: () => new Date(),
    newId: randomUUID,
  });
}
