import { PlanReportsInput } from '@storefront/contracts';
import { logger, workflowTaskHandler } from '@storefront/lambda-runtime';
import { createReportsService } from '../adapters/wiring';

const reports = createReportsService();

/** The workflow's first task: which days this execution builds. */
export const handler = workflowTaskHandler(PlanReportsInput, async (input) => {
  const plan = await reports.plan(input);
  logger.info('report days planned', { trigger: input.requested.trigger, dates: plan.dates });
  return plan;
});
