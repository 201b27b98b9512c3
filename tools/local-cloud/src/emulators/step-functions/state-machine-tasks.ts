/**
 * How a state machine's Task states run locally: each Lambda task invokes its function through the stack's
 * invoker (the service's serverless-offline, within the function's concurrency limit), and a failed invocation
 * becomes the error Step Functions would see, under the name Retry and Catch match on.
 *
 * serverless-offline reports every error a handler throws as `errorType: "Error"`, so `Retry` on
 * `ProviderUnavailableError` would never match; the name survives in the first line of the error's trace
 * (`ProviderUnavailableError: …`), the way Lambda itself reports it.
 */
import type { Invoke } from '../../common/types.ts';

/** The part of an ASL state the local runner needs to find Task states, at any depth. */
interface AslState {
  Type: string;
  Resource?: string;
  TimeoutSeconds?: number;
  Branches?: { States: Record<string, AslState> }[];
  Iterator?: { States: Record<string, AslState> };
  ItemProcessor?: { States: Record<string, AslState> };
}

export type TaskHandler = (input: unknown) => Promise<unknown>;

const LAMBDA_INVOKE = 'arn:aws:states:::lambda:invoke';
/** AWS's default for a Task state with no TimeoutSeconds is 99999999 s; a Node timer holds at most 2^31-1 ms. */
const NO_TASK_TIMEOUT_SECONDS = Math.floor(2 ** 31 / 1000) - 1;
/**
 * A task that ran past its TimeoutSeconds. Unlike the runner's own timeout error, a `States.TaskFailed` catcher
 * matches this one too: none of our definitions names States.TaskFailed.
 */
const STATES_TIMEOUT = 'States.Timeout';

/** An error thrown from a task handler: its name is what Retry and Catch compare. */
export class TaskError extends Error {
  // aws-local-stepfunctions reads these: States.Runtime is neither retried nor caught, as on AWS.
  readonly isRetryable: boolean;
  readonly isCatchable: boolean;

  constructor(name: string, cause: string, { recoverable = true }: { recoverable?: boolean } = {}) {
    super(cause);
    this.name = name;
    this.isRetryable = recoverable;
    this.isCatchable = recoverable;
  }
}

/** A function's name from its ARN (with or without a version or alias), or the name itself. */
export function functionNameOf(functionArnOrName: string): string {
  const afterFunction = functionArnOrName.split(':function:')[1] ?? functionArnOrName;
  return afterFunction.split(':')[0] as string;
}

/** The name an error thrown by a handler had: offline's errorType, unless that is the generic "Error". */
function thrownName(errorType: string | undefined, trace: unknown): string {
  if (errorType && errorType !== 'Error') return errorType;
  const firstLine = Array.isArray(trace) ? String(trace[0] ?? '') : '';
  return /^([A-Za-z_$][\w$.]*)(?::|$)/.exec(firstLine)?.[1] ?? 'Error';
}

/** Errors of the invoke itself, named as Step Functions names Lambda's service exceptions. */
const SERVICE_ERRORS: Record<string, string> = {
  TooManyRequestsException: 'Lambda.TooManyRequestsException',
  ResourceNotFoundException: 'Lambda.ResourceNotFoundException',
  ServiceException: 'Lambda.ServiceException',
};

/**
 * The error Step Functions reports for a failed invocation. A handler's error keeps its name, and its cause is the
 * JSON Lambda reports (`{"errorType","errorMessage","trace"}`), so a Catch's ResultPath holds what it holds on AWS.
 */
export function lambdaTaskError(payload: unknown): TaskError {
  const { errorType, errorMessage, trace } = (payload ?? {}) as { errorType?: string; errorMessage?: string; trace?: unknown };
  const serviceError = errorType ? SERVICE_ERRORS[errorType] : undefined;
  if (serviceError) return new TaskError(serviceError, errorMessage ?? serviceError);
  if (trace === undefined && errorType === undefined)
    return new TaskError('Lambda.ServiceException', errorMessage ?? 'the function did not answer');
  let name = thrownName(errorType, trace);
  // offline's own timeout error; Lambda names a timed-out invocation Sandbox.Timedout.
  if (name === 'LambdaTimeoutError') name = 'Sandbox.Timedout';
  return new TaskError(name, JSON.stringify({ errorType: name, errorMessage, trace }));
}

/**
 * A Task state's time runs from when its function starts: locally an invocation may first wait for a free slot of
 * the function's concurrency (a limit of this machine, not of AWS, where it would start at once), and counting that
 * wait made completed charges time out and run again.
 */
async function invokeTask(invoke: Invoke, functionName: string, input: unknown, timeoutSeconds: number | undefined): Promise<unknown> {
  let started = () => {};
  const running = new Promise<void>((resolve) => (started = resolve));
  const invocation = invoke(functionName, input as Record<string, unknown>, { onStart: started });
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    if (timeoutSeconds === undefined) return;
    void running.then(() => {
      timer = setTimeout(() => reject(new TaskError(STATES_TIMEOUT, 'Task timed out.')), timeoutSeconds * 1000);
    });
  });
  try {
    const { ok, payload } = await Promise.race([invocation, timedOut]);
    if (!ok) throw lambdaTaskError(payload);
    // A function that returns nothing hands the next state null, as on AWS.
    return payload ?? null;
  } finally {
    clearTimeout(timer);
  }
}

function handlerFor({ Resource, TimeoutSeconds }: AslState, invoke: Invoke): TaskHandler {
  const resource = String(Resource);
  if (resource === LAMBDA_INVOKE) {
    // The optimised integration: Parameters give FunctionName and Payload; the result wraps the function's answer.
    return async (input) => {
      const { FunctionName, Payload } = (input ?? {}) as { FunctionName?: string; Payload?: unknown };
      if (!FunctionName) throw new TaskError('States.Runtime', 'lambda:invoke needs Parameters.FunctionName', { recoverable: false });
      const answer = await invokeTask(invoke, functionNameOf(FunctionName), Payload ?? {}, TimeoutSeconds);
      return { ExecutedVersion: '$LATEST', Payload: answer, StatusCode: 200 };
    };
  }
  if (/^arn:aws[\w-]*:lambda:/.test(resource)) return (input) => invokeTask(invoke, functionNameOf(resource), input, TimeoutSeconds);
  return async () => {
    throw new TaskError('States.Runtime', `${resource} is not run locally: only Lambda tasks are`, { recoverable: false });
  };
}

/** Every Task state of a definition, nested ones included (state names are unique across a whole machine). */
export function taskStatesOf(states: Record<string, AslState>): [string, AslState][] {
  return Object.entries(states).flatMap(([name, state]): [string, AslState][] => [
    ...(state.Type === 'Task' ? [[name, state] as [string, AslState]] : []),
    ...(state.Branches ?? []).flatMap((branch) => taskStatesOf(branch.States)),
    ...taskStatesOf(state.Iterator?.States ?? {}),
    ...taskStatesOf(state.ItemProcessor?.States ?? {}),
  ]);
}

/** A local handler for each Task state, by state name, as aws-local-stepfunctions takes them. */
export function taskHandlers(states: Record<string, AslState>, invoke: Invoke): Record<string, TaskHandler> {
  return Object.fromEntries(taskStatesOf(states).map(([name, state]) => [name, handlerFor(state, invoke)]));
}

/**
 * The definition the runner is given: the task handlers keep each Task state's TimeoutSeconds themselves (counted
 * from the function's start), so the runner gets no timeout of its own for any Task state, as AWS has none by default
 * (aws-local-stepfunctions would otherwise stop a task with no TimeoutSeconds after 60 s).
 */
export function withTimeoutsInTheHandlers<T extends { States: Record<string, AslState> }>(definition: T): T {
  const copy = structuredClone(definition);
  for (const [, state] of taskStatesOf(copy.States)) state.TimeoutSeconds = NO_TASK_TIMEOUT_SECONDS;
  return copy;
}
