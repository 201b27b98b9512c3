import {
  DescribeExecutionCommand,
  ListExecutionsCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { type CfnTemplate, describeTemplate } from '#packaging';
import { freePort } from '@storefront/testing';
import { type LocalStepFunctionsEndpoint, startStepFunctions, stateMachinesOf } from '../../src/emulators/step-functions/step-functions.ts';
import type { TrailEntry } from '../../src/stack/trail.ts';
import type { DescribedService, Invocation, Invoke } from '../../src/common/types.ts';

const FUNCTION = 'arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:storefront-payments-local';

/** A checkout workflow in small: charge (retrying a provider outage, catching the rest), then a Choice on the outcome. */
const checkout = {
  StartAt: 'ChargePayment',
  States: {
    ChargePayment: {
      Type: 'Task',
      Resource: `${FUNCTION}-chargePayment`,
      Parameters: { 'orderId.$': '$$.Execution.Name', 'scenario.$': '$.scenario' },
      Retry: [
        {
          ErrorEquals: ['ProviderUnavailableError'],
          IntervalSeconds: 1,
          BackoffRate: 2,
          MaxDelaySeconds: 1,
          JitterStrategy: 'FULL',
          MaxAttempts: 3,
        },
      ],
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'RecordFailure' }],
      ResultPath: '$.charge',
      Next: 'Outcome',
    },
    Outcome: {
      Type: 'Choice',
      Choices: [{ Variable: '$.charge.outcome', StringEquals: 'captured', Next: 'Captured' }],
      Default: 'Declined',
    },
    Captured: { Type: 'Succeed' },
    Declined: { Type: 'Fail', Error: 'PaymentDeclined', Cause: 'the card was declined' },
    RecordFailure: { Type: 'Pass', End: true },
  },
};

/** A task that outlives its own timeout, then one that outlives the machine's. */
const timeouts = {
  StartAt: 'Slow',
  TimeoutSeconds: 2,
  States: {
    Slow: {
      Type: 'Task',
      Resource: `${FUNCTION}-slow`,
      TimeoutSeconds: 1,
      Catch: [{ ErrorEquals: ['States.Timeout'], Next: 'SlowAgain' }],
      Next: 'SlowAgain',
    },
    SlowAgain: { Type: 'Task', Resource: `${FUNCTION}-slow`, End: true },
  },
};

/** The packaged template as serverless-step-functions 3.31 writes it: each definition an Fn::Sub with function ARNs. */
const template: CfnTemplate = {
  Resources: Object.fromEntries(
    Object.entries({
      CheckoutStateMachine: ['storefront-local-checkout', checkout],
      TimeoutsStateMachine: ['storefront-local-timeouts', timeouts],
    }).map(([logicalId, [name, definition]]) => [
      logicalId,
      {
        Type: 'AWS::StepFunctions::StateMachine',
        Properties: { StateMachineName: name, DefinitionString: { 'Fn::Sub': JSON.stringify(definition) } },
      },
    ]),
  ),
};
const described: DescribedService[] = [
  {
    service: { name: 'payments', dir: '', params: [], dependsOn: [] },
    template: describeTemplate(template, { stackName: 'storefront-payments-local', region: 'us-east-1' }),
  },
];
const CHECKOUT_ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:storefront-local-checkout';
const TIMEOUTS_ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:storefront-local-timeouts';

/** What serverless-offline answers when a handler throws: errorType "Error", the real name only in the trace. */
const thrown = (name: string, message: string): Invocation => ({
  ok: false,
  payload: { errorMessage: message, errorType: 'Error', trace: [`${name}: ${message}`, '    at handler (charge-payment.mjs:1:1)'] },
});

const calls: { functionName: string; event: Record<string, unknown> }[] = [];
let releaseHeld: () => void = () => undefined;
const slowCalls: (() => void)[] = [];

/** Stands in for the stack's invoker: each scenario is how the charge function behaves for that input. */
const invoke: Invoke = async (functionName, event, { onStart } = {}) => {
  // A free slot at once, as the function is invoked, unless the scenario is a wait for one.
  if ((event as { scenario?: string }).scenario === 'waits-for-a-slot') await new Promise((resolve) => setTimeout(resolve, 1100));
  onStart?.();
  calls.push({ functionName, event });
  const { orderId, scenario } = event as { orderId: string; scenario: string };
  // Answers only when the tests are over: past every timeout.
  if (functionName.endsWith('-slow')) return new Promise((resolve) => slowCalls.push(() => resolve({ ok: true, payload: {} })));
  const attempt = calls.filter((c) => c.event.orderId === orderId).length;
  if (scenario === 'flaky' && attempt <= 2) return thrown('ProviderUnavailableError', 'provider answered 503');
  if (scenario === 'bad-key') return thrown('ProviderAuthenticationError', 'provider refused the key');
  if (scenario === 'hold') await new Promise<void>((resolve) => (releaseHeld = resolve));
  return { ok: true, payload: { outcome: scenario === 'declined' ? 'declined' : 'captured' } };
};

let endpoint: LocalStepFunctionsEndpoint;
let sfn: SFNClient;
const trail: TrailEntry[] = [];

beforeAll(async () => {
  endpoint = await startStepFunctions({
    port: await freePort(),
    machines: stateMachinesOf(described),
    invoke,
    record: (entry) => trail.push(entry),
  });
  sfn = new SFNClient({ endpoint: endpoint.url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
});

afterAll(async () => {
  slowCalls.forEach((answer) => answer());
  sfn?.destroy();
  await endpoint?.close();
});

/** Starts an execution through the SDK, as a function does, and answers how it ended. */
async function run(name: string, input: Record<string, unknown>, stateMachineArn = CHECKOUT_ARN) {
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }));
  await endpoint.stepFunctions.finished(executionArn as string);
  return sfn.send(new DescribeExecutionCommand({ executionArn }));
}

const transitionsOf = (execution: string) =>
  trail.filter((e) => e.execution === execution).map((e) => [e.kind, e.state].filter(Boolean).join(' '));

describe('the local Step Functions runner', () => {
  it('retries the error name the function threw, then follows the Choice to success', async () => {
    const execution = await run('order-flaky', { scenario: 'flaky', correlationId: 'corr-flaky' });

    expect(execution.status).toBe('SUCCEEDED');
    expect(JSON.parse(execution.output as string)).toMatchObject({ charge: { outcome: 'captured' } });
    expect(calls.filter((c) => c.event.orderId === 'order-flaky')).toHaveLength(3);
    expect(calls[0]).toEqual({
      functionName: 'storefront-payments-local-chargePayment',
      event: { orderId: 'order-flaky', scenario: 'flaky' },
    });
    expect(transitionsOf('order-flaky')).toEqual([
      'execution-started',
      'state-entered ChargePayment',
      'state-failed ChargePayment',
      'state-retried ChargePayment',
      'state-failed ChargePayment',
      'state-retried ChargePayment',
      'state-entered Outcome',
      'state-entered Captured',
      'execution-succeeded',
    ]);
    expect(trail.filter((e) => e.execution === 'order-flaky' && e.kind === 'state-failed').map((e) => e.error)).toEqual([
      'ProviderUnavailableError',
      'ProviderUnavailableError',
    ]);
    expect(
      trail.filter((e) => e.execution === 'order-flaky').every((e) => e.correlationId === 'corr-flaky' && e.service === 'payments'),
    ).toBe(true);
  });

  it('catches an error no Retry takes, keeping its name and the cause Lambda reports', async () => {
    const execution = await run('order-bad-key', { scenario: 'bad-key' });

    expect(execution.status).toBe('SUCCEEDED');
    const { failure } = JSON.parse(execution.output as string);
    expect(failure.Error).toBe('ProviderAuthenticationError');
    expect(JSON.parse(failure.Cause)).toMatchObject({ errorType: 'ProviderAuthenticationError', errorMessage: 'provider refused the key' });
    expect(calls.filter((c) => c.event.orderId === 'order-bad-key')).toHaveLength(1);
    expect(transitionsOf('order-bad-key')).toContain('state-caught ChargePayment');
  });

  it('ends FAILED at a Fail state, with its error and cause', async () => {
    const execution = await run('order-declined', { scenario: 'declined' });

    expect(execution).toMatchObject({ status: 'FAILED', error: 'PaymentDeclined', cause: 'the card was declined' });
  });

  it('notes in the trail a task whose function waited a second or more for a slot, with how long', async () => {
    const execution = await run('order-waits', { scenario: 'waits-for-a-slot' });

    expect(execution.status).toBe('SUCCEEDED');
    const waits = trail.filter((entry) => entry.kind === 'task-waited');
    expect(waits).toEqual([expect.objectContaining({ function: 'storefront-payments-local-chargePayment', waitedMs: expect.any(Number) })]);
    expect(waits[0]?.waitedMs).toBeGreaterThanOrEqual(1000);
  });

  it('honours a Task timeout (caught as States.Timeout) and the machine timeout (TIMED_OUT)', async () => {
    const execution = await run('order-slow', {}, TIMEOUTS_ARN);

    expect(execution).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
    expect(transitionsOf('order-slow')).toEqual(
      expect.arrayContaining(['state-caught Slow', 'state-entered SlowAgain', 'execution-timed-out']),
    );
  });
});

describe('the local Step Functions API', () => {
  it('starts one execution per name: the same name and input while it runs is the same execution, anything else is refused', async () => {
    const start = (input: unknown) =>
      sfn.send(new StartExecutionCommand({ stateMachineArn: CHECKOUT_ARN, name: 'order-held', input: JSON.stringify(input) }));
    const first = await start({ scenario: 'hold' });

    const again = await start({ scenario: 'hold' });
    const otherInput = start({ scenario: 'flaky' });

    expect(again.executionArn).toBe(first.executionArn);
    await expect(otherInput).rejects.toMatchObject({ name: 'ExecutionAlreadyExists' });
    releaseHeld();
    await endpoint.stepFunctions.finished(first.executionArn as string);
    await expect(start({ scenario: 'hold' })).rejects.toMatchObject({ name: 'ExecutionAlreadyExists' });
    expect(calls.filter((c) => c.event.orderId === 'order-held')).toHaveLength(1);
  });

  it('stops a running execution, which then reads ABORTED with the given error, and lists it', async () => {
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: CHECKOUT_ARN, name: 'order-stopped', input: JSON.stringify({ scenario: 'hold' }) }),
    );

    await sfn.send(new StopExecutionCommand({ executionArn, error: 'OrderCancelled', cause: 'the customer cancelled' }));
    releaseHeld();

    await expect(sfn.send(new DescribeExecutionCommand({ executionArn }))).resolves.toMatchObject({
      status: 'ABORTED',
      error: 'OrderCancelled',
      cause: 'the customer cancelled',
    });
    const { executions = [] } = await sfn.send(new ListExecutionsCommand({ stateMachineArn: CHECKOUT_ARN, statusFilter: 'ABORTED' }));
    expect(executions.map((e) => e.name)).toEqual(['order-stopped']);
  });

  it('refuses an unknown state machine, input that is not JSON and an unknown execution, as AWS names them', async () => {
    const unknownMachine = `${CHECKOUT_ARN}-missing`;

    await expect(sfn.send(new StartExecutionCommand({ stateMachineArn: unknownMachine }))).rejects.toMatchObject({
      name: 'StateMachineDoesNotExist',
    });
    await expect(sfn.send(new StartExecutionCommand({ stateMachineArn: CHECKOUT_ARN, input: '{not json' }))).rejects.toMatchObject({
      name: 'InvalidExecutionInput',
    });
    await expect(sfn.send(new DescribeExecutionCommand({ executionArn: `${CHECKOUT_ARN}:nothing` }))).rejects.toMatchObject({
      name: 'ExecutionDoesNotExist',
    });
  });
});
