/**
 * Step Functions on this machine. The state machines are the AWS::StepFunctions::StateMachine resources of the
 * packaged templates (as serverless-step-functions emits them), run by aws-local-stepfunctions with every Task
 * state invoking its function through the stack (state-machine-tasks.ts). Functions start and read executions
 * through @aws-sdk/client-sfn, which finds this endpoint through AWS_ENDPOINT_URL_SFN: StartExecution (idempotent
 * by name, as on AWS), DescribeExecution, StopExecution and ListExecutions. Each execution's transitions go into
 * the trail, tagged with the `correlationId` of its input when it has one. Executions live in memory only.
 */
import { randomUUID } from 'node:crypto';
import { ExecutionAbortedError, ExecutionTimeoutError, StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { localStateMachineArn, StackError } from '#packaging';
import { LOCAL_REGION } from '../../common/aws-local.ts';
import {
  type AwsJsonEndpoint,
  type AwsJsonInput,
  AwsServiceError,
  epochSeconds,
  optionalString,
  requiredString,
  startAwsJsonEndpoint,
} from '../aws-json-endpoint.ts';
import { resourcesOf } from '../../stack/layout.ts';
import { taskHandlers, withTimeoutsInTheHandlers } from './state-machine-tasks.ts';
import type { TrailEntry } from '../../stack/trail.ts';
import type { DescribedService, Invoke } from '../../common/types.ts';

/** A state machine of a packaged template, resolved for the local account. */
export interface LocalStateMachine {
  name: string;
  arn: string;
  service: string;
  definition: StateMachineDefinition;
}

type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

interface Execution {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  input: string;
  status: ExecutionStatus;
  startDate: Date;
  stopDate?: Date;
  output?: string;
  error?: string;
  cause?: string;
  abort: () => void;
  finished: Promise<void>;
}

// Step Functions' own limits on an execution's name and input.
const INVALID_NAME_CHARACTER = /[\s<>{}[\]?*"#%\\^|~`$&,;:/]/;
const isControlCharacter = (character: string) => {
  const code = character.charCodeAt(0);
  return code < 0x20 || (code >= 0x7f && code <= 0x9f);
};
const isValidName = (name: string) =>
  name.length >= 1 && name.length <= 80 && !INVALID_NAME_CHARACTER.test(name) && ![...name].some(isControlCharacter);
const MAX_INPUT_BYTES = 256 * 1024;

/** Every state machine the described templates declare. */
export function stateMachinesOf(described: DescribedService[]): LocalStateMachine[] {
  return resourcesOf(described, 'AWS::StepFunctions::StateMachine').map(({ name, service, properties }) => {
    const definition = properties.Definition ?? JSON.parse(String(properties.DefinitionString));
    return { name, service, arn: localStateMachineArn(name, LOCAL_REGION), definition };
  });
}

/** The trail's view of one engine event: what happened, to which state, and why it failed if it did. */
interface EngineEvent {
  type: string;
  state?: { name: string; type: string };
  Error?: string;
  retry?: { attempt: number };
  catch?: { catcher: { Next: string } };
}

const TRAIL_KINDS: Record<string, string> = {
  StateEntered: 'state-entered',
  StateFailed: 'state-failed',
  StateRetried: 'state-retried',
  StateCaught: 'state-caught',
};

/** How long a task's function may wait for a slot before the trail notes it. */
const NOTED_TASK_WAIT_MS = 1000;

export interface LocalStepFunctionsOptions {
  machines: LocalStateMachine[];
  invoke: Invoke;
  record?: (entry: TrailEntry) => void;
}

export class LocalStepFunctions {
  #machines: Map<string, { machine: LocalStateMachine; runner: StateMachine; handlers: ReturnType<typeof taskHandlers> }>;
  #executions = new Map<string, Execution>();
  readonly record: (entry: TrailEntry) => void;

  constructor({ machines, invoke, record = () => undefined }: LocalStepFunctionsOptions) {
    this.record = record;
    this.#machines = new Map(
      machines.map((machine) => {
        let runner: StateMachine;
        try {
          runner = new StateMachine(withTimeoutsInTheHandlers(machine.definition));
        } catch (error) {
          throw new StackError(
            `state machine ${machine.name} (${machine.service}) cannot run locally: ${(error as Error).message}`,
            'write its definition with JSONPath and Lambda tasks (what aws-local-stepfunctions runs)',
          );
        }
        return [machine.arn, { machine, runner, handlers: taskHandlers(machine.definition.States, this.#notingWaits(invoke)) }];
      }),
    );
  }

  startExecution(input: AwsJsonInput) {
    const stateMachineArn = requiredString(input, 'stateMachineArn');
    const entry = this.#machines.get(stateMachineArn);
    if (!/^arn:aws:states:[\w-]+:\d{12}:stateMachine:/.test(stateMachineArn))
      throw new AwsServiceError('InvalidArn', `Invalid Arn: '${stateMachineArn}'`);
    if (!entry) throw new AwsServiceError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${stateMachineArn}'`);
    const name = optionalString(input, 'name') ?? randomUUID();
    if (!isValidName(name)) throw new AwsServiceError('InvalidName', `Invalid Name: '${name}'`);
    const text = optionalString(input, 'input') ?? '{}';
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new AwsServiceError('InvalidExecutionInput', 'Invalid State Machine Execution Input: the input is not JSON');
    }
    if (Buffer.byteLength(text) > MAX_INPUT_BYTES)
      throw new AwsServiceError('InvalidExecutionInput', `Invalid State Machine Execution Input: over ${MAX_INPUT_BYTES} bytes`);
    const executionArn = `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
    const existing = this.#executions.get(executionArn);
    if (existing) {
      // As on AWS: the same name and input while it runs is the same execution; anything else is refused.
      if (existing.status === 'RUNNING' && existing.input === text) return { executionArn, startDate: epochSeconds(existing.startDate) };
      throw new AwsServiceError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }
    const execution = this.#run(entry, { executionArn, stateMachineArn, name, input: text, parsed });
    return { executionArn, startDate: epochSeconds(execution.startDate) };
  }

  #run(
    { machine, runner, handlers }: { machine: LocalStateMachine; runner: StateMachine; handlers: ReturnType<typeof taskHandlers> },
    {
      executionArn,
      stateMachineArn,
      name,
      input,
      parsed,
    }: Pick<Execution, 'executionArn' | 'stateMachineArn' | 'name' | 'input'> & { parsed: unknown },
  ): Execution {
    const startDate = new Date();
    const correlationId = (parsed as { correlationId?: unknown } | null)?.correlationId;
    const tags = {
      service: machine.service,
      stateMachine: machine.name,
      execution: name,
      ...(typeof correlationId === 'string' ? { correlationId } : {}),
    };
    const run = runner.run(parsed as never, {
      overrides: { taskResourceLocalHandlers: handlers as never },
      context: {
        Execution: { Id: executionArn, Name: name, StartTime: startDate.toISOString() },
        StateMachine: { Id: stateMachineArn, Name: machine.name },
      },
    });
    const execution: Execution = {
      executionArn,
      stateMachineArn,
      name,
      input,
      status: 'RUNNING',
      startDate,
      abort: run.abort,
      finished: Promise.resolve(),
    };
    this.#executions.set(executionArn, execution);
    this.record({ kind: 'execution-started', ...tags });
    const transitions = (async () => {
      for await (const event of run.eventLogs as AsyncIterable<EngineEvent>) {
        const kind = TRAIL_KINDS[event.type];
        if (kind)
          this.record({
            kind,
            ...tags,
            state: event.state?.name,
            stateType: event.state?.type,
            ...(event.Error ? { error: event.Error } : {}),
            ...(event.retry ? { attempt: event.retry.attempt } : {}),
            ...(event.catch ? { next: event.catch.catcher.Next } : {}),
          });
      }
    })();
    const outcome = run.result.then(
      (output) => this.#finish(execution, { status: 'SUCCEEDED', output: JSON.stringify(output) }),
      (error: Error) => this.#finish(execution, this.#failure(error, execution)),
    );
    execution.finished = Promise.all([transitions, outcome]).then(() =>
      this.record({
        kind: `execution-${execution.status.toLowerCase().replace('_', '-')}`,
        ...tags,
        ...(execution.error ? { error: execution.error } : {}),
      }),
    );
    return execution;
  }

  #failure(error: Error, execution: Execution): Partial<Execution> & { status: ExecutionStatus } {
    if (error instanceof ExecutionTimeoutError) return { status: 'TIMED_OUT', error: 'States.Timeout', cause: 'The execution timed out' };
    if (error instanceof ExecutionAbortedError) return { status: 'ABORTED', error: execution.error, cause: execution.cause };
    const cause = (error.cause ?? error) as Error;
    return { status: 'FAILED', error: cause.name, cause: cause.message };
  }

  #finish(execution: Execution, outcome: Partial<Execution>): void {
    // StopExecution has already closed it.
    if (execution.status !== 'RUNNING') return;
    Object.assign(execution, outcome, { stopDate: new Date() });
  }

  /**
   * The invoker the tasks use, noting in the trail each task whose function waited a second or more for a slot of
   * its local concurrency before it started: time AWS would not spend, shown where the execution's states are.
   */
  #notingWaits(invoke: Invoke): Invoke {
    return (functionName, event, options = {}) => {
      const asked = Date.now();
      return invoke(functionName, event, {
        ...options,
        onStart: () => {
          options.onStart?.();
          const waitedMs = Date.now() - asked;
          const { correlationId } = event;
          if (waitedMs >= NOTED_TASK_WAIT_MS)
            this.record({
              kind: 'task-waited',
              function: functionName,
              waitedMs,
              correlationId: typeof correlationId === 'string' ? correlationId : undefined,
            });
        },
      });
    };
  }

  #find(executionArn: string): Execution {
    const execution = this.#executions.get(executionArn);
    if (!execution) throw new AwsServiceError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
    return execution;
  }

  describeExecution(input: AwsJsonInput) {
    const execution = this.#find(requiredString(input, 'executionArn'));
    return {
      ...this.#summary(execution),
      input: execution.input,
      ...(execution.output !== undefined ? { output: execution.output } : {}),
      ...(execution.error !== undefined ? { error: execution.error } : {}),
      ...(execution.cause !== undefined ? { cause: execution.cause } : {}),
    };
  }

  stopExecution(input: AwsJsonInput) {
    const execution = this.#find(requiredString(input, 'executionArn'));
    if (execution.status === 'RUNNING') {
      Object.assign(execution, {
        status: 'ABORTED',
        stopDate: new Date(),
        error: optionalString(input, 'error'),
        cause: optionalString(input, 'cause'),
      });
      execution.abort();
    }
    return { stopDate: epochSeconds(execution.stopDate ?? new Date()) };
  }

  listExecutions(input: AwsJsonInput) {
    const stateMachineArn = requiredString(input, 'stateMachineArn');
    if (!this.#machines.has(stateMachineArn))
      throw new AwsServiceError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${stateMachineArn}'`);
    const status = optionalString(input, 'statusFilter');
    const offset = Number(optionalString(input, 'nextToken') ?? 0);
    const limit = Number(input.maxResults) || 100;
    const matching = [...this.#executions.values()]
      .filter((e) => e.stateMachineArn === stateMachineArn && (!status || e.status === status))
      .reverse();
    const page = matching.slice(offset, offset + limit);
    return {
      executions: page.map((e) => this.#summary(e)),
      ...(offset + limit < matching.length ? { nextToken: String(offset + limit) } : {}),
    };
  }

  #summary(execution: Execution) {
    return {
      executionArn: execution.executionArn,
      stateMachineArn: execution.stateMachineArn,
      name: execution.name,
      status: execution.status,
      startDate: epochSeconds(execution.startDate),
      ...(execution.stopDate ? { stopDate: epochSeconds(execution.stopDate) } : {}),
    };
  }

  /** Settles once the execution has ended and its transitions are in the trail. */
  async finished(executionArn: string): Promise<void> {
    await this.#find(executionArn).finished;
  }

  /** Stops every running execution (their functions may still finish a call in flight). */
  async stopAll(): Promise<void> {
    const running = [...this.#executions.values()].filter((e) => e.status === 'RUNNING');
    for (const execution of running) this.stopExecution({ executionArn: execution.executionArn, error: 'StackStopped' });
    await Promise.allSettled(running.map((e) => e.finished));
  }
}

export interface LocalStepFunctionsEndpoint extends AwsJsonEndpoint {
  stepFunctions: LocalStepFunctions;
}

export async function startStepFunctions({
  port,
  ...options
}: LocalStepFunctionsOptions & { port: number }): Promise<LocalStepFunctionsEndpoint> {
  const stepFunctions = new LocalStepFunctions(options);
  const endpoint = await startAwsJsonEndpoint({
    port,
    targetPrefix: 'AWSStepFunctions',
    jsonVersion: '1.0',
    actions: {
      StartExecution: (input) => stepFunctions.startExecution(input),
      DescribeExecution: (input) => stepFunctions.describeExecution(input),
      StopExecution: (input) => stepFunctions.stopExecution(input),
      ListExecutions: (input) => stepFunctions.listExecutions(input),
    },
  });
  return {
    ...endpoint,
    stepFunctions,
    close: async () => {
      await stepFunctions.stopAll();
      await endpoint.close();
    },
  };
}
