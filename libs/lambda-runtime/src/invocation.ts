import type { Context } from 'aws-lambda';
import { flushMetrics, logger } from './observability';

/**
 * What every handler wrapper does around one invocation, whatever triggered it:
 * the log lines carry the Lambda context and the correlation id, the event is
 * logged when POWERTOOLS_LOGGER_LOG_EVENT asks for it, and whatever the
 * invocation counted is published at the end, even when it fails. Keys a
 * handler appended are dropped, so none leaks into the next invocation of
 * the same sandbox. (The same steps as Powertools' injectLambdaContext.) A wrapper that traces its
 * invocations (./tracing) passes `around`, which runs the work inside the trace.
 */
export async function observeInvocation<Result>(
  event: unknown,
  context: Context,
  correlationId: string,
  work: () => Promise<Result>,
  around: (work: () => Promise<Result>) => Promise<Result> = (inner) => inner(),
): Promise<Result> {
  logger.refreshSampleRateCalculation();
  logger.addContext(context);
  logger.logEventIfEnabled(event);
  logger.setCorrelationId(correlationId);
  try {
    return await around(work);
  } finally {
    logger.resetKeys();
    flushMetrics();
  }
}
