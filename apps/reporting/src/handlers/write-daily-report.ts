import { BuildDayInput } from '@storefront/contracts';
import { logger, workflowTaskHandler } from '@storefront/lambda-runtime';
import { reportFilesFromEnvironment } from '../adapters/s3-report-files';
import { createReportsService } from '../adapters/wiring';

const reports = createReportsService({ files: reportFilesFromEnvironment() });

/** Takes the day's build and writes its report files, or answers `busy` when another build has the day. */
export const handler = workflowTaskHandler(BuildDayInput, async (input) => {
  const written = await reports.write(input);
  logger.info('report files handled', { date: input.date, outcome: written.outcome });
  return written;
});
