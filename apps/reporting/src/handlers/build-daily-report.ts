import { HttpRoutes } from '@storefront/contracts';
import { httpHandler } from '@storefront/lambda-runtime';
import { createReportsService } from '../adapters/wiring';

const reports = createReportsService();

export const handler = httpHandler(HttpRoutes.buildDailyReport, async ({ path, correlationId }) => ({
  statusCode: 202,
  body: await reports.requestBuild(path.date, correlationId),
}));
