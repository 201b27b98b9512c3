import type { Context } from 'aws-lambda';
import { observeInvocation } from './invocation';

/** What a scheduled run knows: the id its logs, and the events it writes, carry. */
export interface ScheduledRun {
  correlationId: string;
}

/**
 * A function run on a schedule (EventBridge rule or scheduler). The run is
 * correlated by the invocation's request id, which it can hand on to the
 * events it writes and return, so one id leads from the run to its effects.
 * The trigger's payload carries nothing a run needs, so it is not passed on.
 */
export function scheduleHandler<Result>(run: (invocation: ScheduledRun) => Promise<Result>) {
  return (event: unknown, context: Context): Promise<Result> =>
    observeInvocation(event, context, context.awsRequestId, () => run({ correlationId: context.awsRequestId }));
}
