import { randomUUID } from 'node:crypto';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { createDocumentClient } from '@storefront/dynamodb';
import { requiredEnv } from '@storefront/lambda-runtime';
import type { ReportFiles, ReportWorkflow } from '../domain/ports';
import { ReportsService } from '../domain/reports-service';
import { SalesService } from '../domain/sales-service';
import { DynamoDbReportsRepository } from './dynamodb-reports-repository';
import { DynamoDbSalesRepository } from './dynamodb-sales-repository';
import { S3ReportFiles } from './s3-report-files';
import { StepFunctionsReportWorkflow } from './step-functions-report-workflow';

/** Counting sales, as the consumers use it: one client per sandbox, created at cold start. */
export function createSalesService(): SalesService {
  return new SalesService({
    repository: new DynamoDbSalesRepository(createDocumentClient(), requiredEnv('REPORTING_TABLE')),
    now: () => new Date(),
  });
}

/**
 * Building and serving reports. The bucket and the state machine are built on first use, so each function is
 * given only the settings of what it uses (serverless.yml): the state machine's ARN only to the route that
 * starts builds, the bucket only to the functions that write or sign files.
 */
export function createReportsService(): ReportsService {
  const files = onFirstUse(() => new S3ReportFiles(new S3Client({}), requiredEnv('REPORTS_BUCKET')));
  const workflow = onFirstUse(() => new StepFunctionsReportWorkflow(new SFNClient({}), requiredEnv('DAILY_REPORT_STATE_MACHINE_ARN')));
  return new ReportsService({
    repository: new DynamoDbReportsRepository(createDocumentClient(), requiredEnv('REPORTING_TABLE')),
    files: {
      get bucket() {
        return files().bucket;
      },
      write: (key, body, contentType) => files().write(key, body, contentType),
      downloadUrl: (key, expiresInSeconds, fileName) => files().downloadUrl(key, expiresInSeconds, fileName),
    } satisfies ReportFiles,
    workflow: { start: (name, input) => workflow().start(name, input) } satisfies ReportWorkflow,
    now: () => new Date(),
    newId: randomUUID,
  });
}

function onFirstUse<T>(create: () => T): () => T {
  let instance: T | undefined;
  return () => (instance ??= create());
}
