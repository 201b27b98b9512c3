import { getDailyReportRoute } from '@storefront/contracts';
import { httpHandler } from '@storefront/lambda-runtime';
import { downloadLinksFromEnvironment } from '../adapters/s3-download-links';
import { createReportsService } from '../adapters/wiring';

const reports = createReportsService({ links: downloadLinksFromEnvironment() });

export const handler = httpHandler(getDailyReportRoute, async ({ path }) => ({
  statusCode: 200,
  body: await reports.get(path.date),
}));
