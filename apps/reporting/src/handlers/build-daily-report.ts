import { buildDailyReportRoute } from '@storefront/contracts';
import { httpHandler } from '@storefront/lambda-runtime';
import { reportWorkflowFromEnvironment } from '../adapters/step-functions-report-workflow';
import { createReportsService } from '../adapters/wiring';

const reports = createReportsService({ workflow: reportWorkflowFromEnvironment() });

export const handler = httpHandler(buildDailyReportRoute, async ({ path, correlationId }) => ({
  statusCode: 202,
  body: await reports.requestBuild(path.date, correlationId),
}));
