import { HttpRoutes } from '@storefront/contracts';
import { httpHandler } from '@storefront/lambda-runtime';
import { reportFilesFromEnvironment } from '../adapters/s3-report-files';
import { createReportsService } from '../adapters/wiring';

const reports = createReportsService({ files: reportFilesFromEnvironment() });

export const handler = httpHandler(HttpRoutes.getDailyReport, async ({ path }) => ({
  statusCode: 200,
  body: await reports.get(path.date),
}));
