import { HttpRoutes } from '@storefront/contracts';
import { httpHandler } from '@storefront/lambda-runtime';
import { createReportsService } from '../adapters/wiring';

const reports = createReportsService();

export const handler = httpHandler(HttpRoutes.getDailyReport, async ({ path }) => ({
  statusCode: 200,
  body: await reports.get(path.date),
}));
