import { ReleaseBuildInput } from '@storefront/contracts';
import { logger, workflowTaskHandler } from '@storefront/lambda-runtime';
import { createReportsService } from '../adapters/wiring';

const reports = createReportsService();

/** On a failed build: lets go of the day, so a new build may start at once. */
export const handler = workflowTaskHandler(ReleaseBuildInput, async (input) => {
  await reports.release(input);
  logger.warn('report build failed; the day is free again', { date: input.date, build: input.build });
  return { date: input.date };
});
