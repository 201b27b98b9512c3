import type { Context } from 'aws-lambda';
import { parseWith, type Schema, type SchemaIssue } from '@storefront/contracts';
import { observeInvocation } from './invocation';
import { tracedBy, type TraceOutcome } from './tracing';
import { logger } from './observability';

/** A task's input breaks its contract: the state machine's definition and the task disagree, and retrying cannot help. */
export class InvalidTaskInputError extends Error {
  override readonly name = 'InvalidTaskInputError';

  constructor(readonly issues: SchemaIssue[]) {
    super(`The task input breaks its contract: ${issues.map((issue) => `${issue.path} ${issue.message}`).join('; ')}`);
  }
}

/** A task that returns completed; one that throws is a fault (tracing sees the throw). */
const completed = (): TraceOutcome => ({ ok: true });

const correlationIdIn = (input: unknown) => {
  const value = (input as { correlationId?: unknown } | null)?.correlationId;
  return typeof value === 'string' && value ? value : undefined;
};

/**
 * The function of a Step Functions Task state (`Resource: <function ARN>`). Its
 * input, the state's input after its Parameters, is parsed with the task's
 * contract schema, and the correlation id it carries goes into the logs; what
 * the task returns is the state's result (placed by its ResultPath).
 *
 * A throw fails the task, and Step Functions matches the error's `name` against
 * the state's Retry and Catch. Bundles are minified, which renames classes, so
 * an error meant for Retry or Catch declares its name as a string literal.
 */
export function workflowTaskHandler<Input extends { correlationId: string }, Output>(
  schema: Schema<Input>,
  task: (input: Input) => Promise<Output>,
) {
  return (input: unknown, context: Context): Promise<Output> =>
    observeInvocation(
      input,
      context,
      correlationIdIn(input) ?? context.awsRequestId,
      async () => {
        const parsed = parseWith(schema, input);
        if (!parsed.success) throw new InvalidTaskInputError(parsed.issues);
        try {
          return await task(parsed.data);
        } catch (error) {
          // The workflow decides what a failure means (retry, catch); the log keeps the correlation id with it.
          logger.warn('task failed', { error: (error as Error).name, detail: (error as Error).message });
          throw error;
        }
      },
      tracedBy(completed),
    );
}
