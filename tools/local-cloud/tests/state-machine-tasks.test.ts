import {
  functionNameOf,
  lambdaTaskError,
  taskHandlers,
  taskStatesOf,
  withTimeoutsInTheHandlers,
} from '../src/emulators/step-functions/state-machine-tasks.ts';
import type { Invoke } from '../src/common/types.ts';

/** What serverless-offline answers when a handler throws: always errorType "Error", the real name in the trace. */
const offlineError = (name: string, message: string) => ({
  errorMessage: message,
  errorType: 'Error',
  trace: [`${name}: ${message}`, '    at charge (file:///src/handlers/charge-payment.mjs:1:1)'],
});

describe('errors of Lambda tasks', () => {
  it('takes the name a handler threw from the first line of its trace, since offline reports every error as "Error"', () => {
    const error = lambdaTaskError(offlineError('ProviderUnavailableError', 'provider answered 503'));

    expect(error.name).toBe('ProviderUnavailableError');
    expect(JSON.parse(error.message)).toMatchObject({ errorType: 'ProviderUnavailableError', errorMessage: 'provider answered 503' });
  });

  it('keeps an error type the invoker already reports by name', () => {
    expect(lambdaTaskError({ errorType: 'ProviderTimeoutError', errorMessage: 'x', trace: [] }).name).toBe('ProviderTimeoutError');
  });

  it('names a plain Error "Error"', () => {
    expect(lambdaTaskError(offlineError('Error', 'boom')).name).toBe('Error');
  });

  it("names Lambda's own failures as Step Functions does", () => {
    expect(lambdaTaskError({ errorType: 'TooManyRequestsException', errorMessage: 'queue full' }).name).toBe(
      'Lambda.TooManyRequestsException',
    );
    expect(lambdaTaskError({ errorMessage: 'connect ECONNREFUSED' }).name).toBe('Lambda.ServiceException');
    expect(lambdaTaskError(offlineError('LambdaTimeoutError', '[504] - Lambda timeout.')).name).toBe('Sandbox.Timedout');
  });

  it('finds the function name in an ARN with or without a qualifier', () => {
    expect(functionNameOf('arn:aws:lambda:us-east-1:000000000000:function:storefront-payments-local-charge')).toBe(
      'storefront-payments-local-charge',
    );
    expect(functionNameOf('arn:aws:lambda:us-east-1:000000000000:function:charge:$LATEST')).toBe('charge');
    expect(functionNameOf('charge')).toBe('charge');
  });
});

describe('Task state handlers', () => {
  const states = {
    Charge: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:000000000000:function:charge', Next: 'Both' },
    Both: {
      Type: 'Parallel',
      Branches: [{ States: { Record: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke' } } }],
    },
    Notify: { Type: 'Task', Resource: 'arn:aws:states:::sns:publish' },
  };

  it('finds Task states inside Parallel branches too', () => {
    expect(taskStatesOf(states).map(([name]) => name)).toEqual(['Charge', 'Record', 'Notify']);
  });

  it('invokes the function of a Lambda ARN with the state input and hands on its answer', async () => {
    const invoke = jest.fn<ReturnType<Invoke>, Parameters<Invoke>>().mockResolvedValue({ ok: true, payload: { outcome: 'captured' } });

    const result = await taskHandlers(states, invoke).Charge?.({ orderId: 'o-1' });

    expect(invoke).toHaveBeenCalledWith('charge', { orderId: 'o-1' }, expect.objectContaining({ onStart: expect.any(Function) }));
    expect(result).toEqual({ outcome: 'captured' });
  });

  it('runs lambda:invoke with its FunctionName and Payload and wraps the answer as Step Functions does', async () => {
    const invoke = jest.fn<ReturnType<Invoke>, Parameters<Invoke>>().mockResolvedValue({ ok: true, payload: 'done' });

    const result = await taskHandlers(states, invoke).Record?.({
      FunctionName: 'arn:aws:lambda:us-east-1:000000000000:function:record:$LATEST',
      Payload: { orderId: 'o-1' },
    });

    expect(invoke).toHaveBeenCalledWith('record', { orderId: 'o-1' }, expect.objectContaining({ onStart: expect.any(Function) }));
    expect(result).toEqual({ ExecutedVersion: '$LATEST', Payload: 'done', StatusCode: 200 });
  });

  it('fails a task the local stack cannot run with States.Runtime, which no Retry or Catch takes', async () => {
    const failure = taskHandlers(states, jest.fn()).Notify?.({});

    await expect(failure).rejects.toMatchObject({ name: 'States.Runtime', isRetryable: false, isCatchable: false });
  });
});

describe("a Task state's TimeoutSeconds", () => {
  const charge = { Charge: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:000000000000:function:charge', TimeoutSeconds: 18 } };

  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  /** An invoker whose function waits `queuedMs` for a free slot, then runs for `runsMs`. */
  const invokerThat =
    ({ queuedMs, runsMs }: { queuedMs: number; runsMs: number }): Invoke =>
    async (_name, _event, { onStart } = {}) => {
      await new Promise((resolve) => setTimeout(resolve, queuedMs));
      onStart?.();
      await new Promise((resolve) => setTimeout(resolve, runsMs));
      return { ok: true, payload: { outcome: 'captured' } };
    };

  it('counts from when the function starts, not while the invocation waits for a free slot', async () => {
    // Prepare: 30 s in the local queue, then 2 s of work, under a timeout of 18 s.
    const answer = taskHandlers(charge, invokerThat({ queuedMs: 30_000, runsMs: 2000 })).Charge?.({ orderId: 'o-1' });

    // Act
    await jest.advanceTimersByTimeAsync(32_000);

    // Assert
    await expect(answer).resolves.toEqual({ outcome: 'captured' });
  });

  it('fails a function that runs past it with States.Timeout, which Retry and Catch take', async () => {
    // Prepare
    const answer = taskHandlers(charge, invokerThat({ queuedMs: 0, runsMs: 20_000 })).Charge?.({ orderId: 'o-1' });
    const settled = expect(answer).rejects.toMatchObject({ name: 'States.Timeout', isRetryable: true, isCatchable: true });

    // Act
    await jest.advanceTimersByTimeAsync(18_001);

    // Assert
    await settled;
  });

  it('leaves the runner no timeout of its own for any Task state, nested ones too, as AWS has none by default', () => {
    // Prepare
    const definition = {
      States: {
        ...charge,
        Both: { Type: 'Parallel', Branches: [{ States: { Record: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke' } } }] },
      },
    };

    // Act
    const forTheRunner = withTimeoutsInTheHandlers(definition);

    // Assert
    // The longest a Node timer can wait: about 24.8 days.
    expect(taskStatesOf(forTheRunner.States).map(([, state]) => state.TimeoutSeconds)).toEqual([2_147_482, 2_147_482]);
    expect(definition.States.Charge.TimeoutSeconds).toBe(18);
  });
});
