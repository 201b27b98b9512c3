import { RecordReportInput } from '@storefront/contracts';
import { countMetric, logger, workflowTaskHandler } from '@storefront/lambda-runtime';
import { createReportsService } from '../adapters/wiring';

const reports = createReportsService();

/** Records the day's report with DailyReportReady in the outbox, and lets go of the day. */
export const handler = workflowTaskHandler(RecordReportInput, async (input) => {
  const recorded = await reports.record(input);
  if (recorded.recorded) countMetric('DailyReportsBuilt');
  logger.info('report recorded', { date: input.date, recorded: recorded.recorded, version: input.written.version });
  return recorded;
});
