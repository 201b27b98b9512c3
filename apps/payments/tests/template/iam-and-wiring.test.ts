import { routesOf } from '@storefront/contracts';
import { describeServiceTemplate, functionRoles, requirePackagedTemplate } from '@storefront/testing';
import { ProviderTimeoutError, ProviderUnavailableError } from '../../src/domain/errors';
import { consumes } from '../../src/handlers/start-or-cancel-checkout.consumes';

const template = describeServiceTemplate('payments', {
  routes: routesOf('payments'),
  subscriptions: [{ queue: 'OrderEvents', topic: 'orders', consumer: 'startOrCancelCheckout', consumes }],
  outboxRelay: { function: 'publishEvents', table: 'PaymentsTable', topic: 'payments' },
});

const resource = (logicalId: string) => template.Resources[logicalId]?.Properties ?? {};
const statementsAllowing = (action: string) =>
  functionRoles(template).flatMap(({ functionId, statements }) =>
    statements.filter((s) => [s.Action].flat().includes(action)).map((s) => ({ functionId, resource: s.Resource })),
  );
const getAtt = (logicalId: string) => ({ 'Fn::GetAtt': [logicalId, 'Arn'] });

interface State {
  Type: string;
  Resource?: string;
  Next?: string;
  End?: boolean;
  TimeoutSeconds?: number;
  Retry?: {
    ErrorEquals: string[];
    IntervalSeconds: number;
    BackoffRate: number;
    MaxAttempts: number;
    JitterStrategy?: string;
    MaxDelaySeconds?: number;
  }[];
  Catch?: { ErrorEquals: string[]; Next: string; ResultPath: string }[];
  Choices?: { Variable: string; StringEquals: string; Next: string }[];
  Default?: string;
  QueryLanguage?: string;
}

/** The state machine's definition as deployed: the Fn::Sub text with each task's placeholder named by the function it stands for. */
function checkoutDefinition() {
  const [text, placeholders] = (resource('CheckoutStateMachine').DefinitionString as { 'Fn::Sub': [string, Record<string, unknown>] })[
    'Fn::Sub'
  ];
  const named = Object.entries(placeholders).reduce(
    (definition, [placeholder, arn]) =>
      definition.replaceAll(`\${${placeholder}}`, (arn as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0] as string),
    text,
  );
  return JSON.parse(named) as { StartAt: string; TimeoutSeconds: number; QueryLanguage?: string; States: Record<string, State> };
}

describe('the checkout workflow', () => {
  const definition = checkoutDefinition();
  const states = definition.States;

  it('is a standard state machine named per stage, so an execution name (the order id) is used once', () => {
    expect(resource('CheckoutStateMachine')).toMatchObject({ StateMachineName: 'storefront-local-checkout', StateMachineType: 'STANDARD' });
  });

  it('charges, reconciles a charge that failed, decides on the outcome and records it', () => {
    const tasks = Object.entries(states).filter(([, state]) => state.Type === 'Task');

    expect(definition.StartAt).toBe('ChargePayment');
    expect(tasks.map(([name, state]) => [name, state.Resource])).toEqual([
      ['ChargePayment', 'ChargePaymentLambdaFunction'],
      ['ReconcileCharge', 'ReconcilePaymentLambdaFunction'],
      ['RecordPaymentOutcome', 'RecordPaymentOutcomeLambdaFunction'],
    ]);
    expect(states.ChargeOutcome?.Choices?.map((choice) => [choice.StringEquals, choice.Next])).toEqual([
      ['captured', 'RecordPaymentOutcome'],
      ['declined', 'RecordPaymentOutcome'],
      ['cancelled', 'RecordPaymentOutcome'],
    ]);
    expect(states.RecordPaymentOutcome?.End).toBe(true);
  });

  it("ends each task as States.Timeout before its function's own timeout, and every retry of every task inside the machine's", () => {
    const tasks = Object.values(states).filter((state) => state.Type === 'Task');
    const functionTimeout = (logicalId: string) => resource(logicalId).Timeout as number;
    /** The longest a task can take: each attempt up to its timeout, each pause up to its cap. */
    const longest = ({ Retry: [retry] = [], TimeoutSeconds = Infinity }: State) => {
      const pauses = retry
        ? Array.from({ length: retry.MaxAttempts }, (_, n) =>
            Math.min(retry.IntervalSeconds * retry.BackoffRate ** n, retry.MaxDelaySeconds ?? Infinity),
          )
        : [];
      return (pauses.length + 1) * TimeoutSeconds + pauses.reduce((sum, pause) => sum + pause, 0);
    };

    for (const task of tasks) expect(task.TimeoutSeconds).toBeLessThan(functionTimeout(task.Resource as string));
    expect(tasks.reduce((sum, task) => sum + longest(task), 0)).toBeLessThanOrEqual(definition.TimeoutSeconds);
  });

  it('retries provider outages, timeouts and Lambda service errors with capped, jittered exponential backoff', () => {
    const [retry, ...others] = states.ChargePayment?.Retry ?? [];

    expect(others).toEqual([]);
    expect(retry?.ErrorEquals).toEqual(
      expect.arrayContaining([
        new ProviderUnavailableError('').name,
        new ProviderTimeoutError('').name,
        'Lambda.ServiceException',
        'Lambda.TooManyRequestsException',
        'Lambda.SdkClientException',
      ]),
    );
    expect(retry).toMatchObject({ IntervalSeconds: 1, BackoffRate: 2, JitterStrategy: 'FULL' });
    expect(retry?.MaxAttempts).toBeGreaterThanOrEqual(2);
    expect(retry?.MaxAttempts).toBeLessThanOrEqual(5);
    expect(retry?.MaxDelaySeconds).toBeGreaterThan(0);
  });

  it('reconciles with the provider whatever charging could not get past, before anything is recorded', () => {
    expect(states.ChargePayment?.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.chargeError', Next: 'ReconcileCharge' }]);
    expect(states.ReconcileCharge).toMatchObject({
      Parameters: { 'orderId.$': '$.orderId', 'correlationId.$': '$.correlationId', 'error.$': '$.chargeError.Error' },
      ResultPath: '$.charge',
      Next: 'RecordPaymentOutcome',
    });
  });

  it('retries reconciling through provider outages, boundedly, and never catches: an unreachable provider fails the execution', () => {
    const [retry, ...others] = states.ReconcileCharge?.Retry ?? [];

    expect(others).toEqual([]);
    expect(retry?.ErrorEquals).toEqual(states.ChargePayment?.Retry?.[0]?.ErrorEquals);
    expect(retry?.ErrorEquals).not.toContain('States.ALL');
    expect(retry).toMatchObject({ BackoffRate: 2, JitterStrategy: 'FULL' });
    expect(retry?.MaxAttempts).toBeGreaterThanOrEqual(2);
    expect(retry?.MaxDelaySeconds).toBeGreaterThan(0);
    expect(states.ReconcileCharge?.Catch).toBeUndefined();
  });

  it('uses only JSONPath and Lambda tasks, which run the same on AWS and locally', () => {
    expect(definition.QueryLanguage ?? 'JSONPath').toBe('JSONPath');
    for (const state of Object.values(states)) expect(state.QueryLanguage ?? 'JSONPath').toBe('JSONPath');
  });

  it('may invoke exactly its three task functions, nothing else', () => {
    const role = resource('CheckoutStateMachineRole') as {
      Policies: { PolicyDocument: { Statement: { Action: string[]; Resource: unknown }[] } }[];
    };
    const invoke = role.Policies.flatMap((p) => p.PolicyDocument.Statement).filter((s) => !s.Action.every((a) => a.startsWith('xray:')));
    const taskFunctions = ['ChargePaymentLambdaFunction', 'ReconcilePaymentLambdaFunction', 'RecordPaymentOutcomeLambdaFunction'];

    expect(invoke).toEqual([
      {
        Effect: 'Allow',
        Action: ['lambda:InvokeFunction'],
        Resource: taskFunctions.flatMap((id) => [getAtt(id), { 'Fn::Sub': ['${functionArn}:*', { functionArn: getAtt(id) }] }]),
      },
    ]);
  });

  it.each(['dev', 'prod'])(
    'alarms to the alerts topic in %s on any execution that fails, times out, is throttled or is aborted, each once',
    (stage) => {
      const alarms = Object.entries(requirePackagedTemplate('payments', stage).Resources).filter(
        ([, r]) => r.Type === 'AWS::CloudWatch::Alarm' && r.Properties?.Namespace === 'AWS/States',
      );
      const byMetric = Object.fromEntries(alarms.map(([id, a]) => [String(a.Properties?.MetricName), id]));

      // slic-watch's, and serverless-step-functions' for the one slic-watch has none of.
      expect(byMetric).toEqual({
        ExecutionsFailed: 'slicWatchStatesExecutionsFailedAlarmCheckoutStateMachine',
        ExecutionsTimedOut: 'slicWatchStatesExecutionsTimedOutAlarmCheckoutStateMachine',
        ExecutionThrottled: 'slicWatchStatesExecutionThrottledAlarmCheckoutStateMachine',
        ExecutionsAborted: 'CheckoutStateMachineExecutionsAbortedAlarm',
      });
      for (const [, alarm] of alarms)
        expect(alarm.Properties).toMatchObject({
          Threshold: expect.any(Number),
          AlarmActions: [expect.stringMatching(new RegExp(`:storefront-${stage}-alerts$`))],
          Dimensions: [{ Name: 'StateMachineArn', Value: { Ref: 'CheckoutStateMachine' } }],
        });
    },
  );
});

/** The functions that call the payment provider. */
const PROVIDER_CALLERS = [
  'StartOrCancelCheckoutLambdaFunction',
  'ChargePaymentLambdaFunction',
  'ReconcilePaymentLambdaFunction',
  'RecordPaymentOutcomeLambdaFunction',
];

describe("the provider's key and the workflow's start", () => {
  it('lets exactly the functions that call the provider read exactly its secret', () => {
    expect(statementsAllowing('secretsmanager:GetSecretValue')).toEqual(
      PROVIDER_CALLERS.map((functionId) => ({ functionId, resource: { Ref: 'PaymentProviderSecret' } })),
    );
    const secretActions = functionRoles(template).flatMap(({ statements }) =>
      statements.flatMap((s) => [s.Action].flat()).filter((a) => a.startsWith('secretsmanager:')),
    );
    expect(secretActions).toEqual(Array(PROVIDER_CALLERS.length).fill('secretsmanager:GetSecretValue'));
  });

  it('creates the secret by name with no value, so the key is in no template', () => {
    expect(template.Resources.PaymentProviderSecret).toEqual({
      Type: 'AWS::SecretsManager::Secret',
      Properties: { Name: 'storefront/local/payment-provider', Description: expect.any(String) },
    });
  });

  it("gives the functions that call the provider its address and the secret's name, and nothing anywhere a key", () => {
    const variables = (functionId: string) => (resource(functionId).Environment as { Variables: Record<string, unknown> }).Variables;
    const functions = functionRoles(template).map((f) => f.functionId);

    expect(functions.filter((id) => 'PAYMENT_PROVIDER_SECRET_ID' in variables(id))).toEqual(PROVIDER_CALLERS);
    expect(variables('ChargePaymentLambdaFunction')).toMatchObject({
      PAYMENT_PROVIDER_URL: 'https://api.stripe.com',
      PAYMENT_PROVIDER_TIMEOUT_MS: '5000',
      PAYMENT_PROVIDER_SECRET_ID: 'storefront/local/payment-provider',
    });
    expect(JSON.stringify(template)).not.toMatch(/sk_(test|live)_/);
  });

  it('lets only the consumer start executions, and only of the checkout state machine', () => {
    expect(statementsAllowing('states:StartExecution')).toEqual([
      { functionId: 'StartOrCancelCheckoutLambdaFunction', resource: { Ref: 'CheckoutStateMachine' } },
    ]);
    expect(resource('StartOrCancelCheckoutLambdaFunction').Environment).toMatchObject({
      Variables: { CHECKOUT_STATE_MACHINE_ARN: { Ref: 'CheckoutStateMachine' } },
    });
  });
});

describe('the payments table, per function', () => {
  it('lets reconciling only read a payment: it decides, and recording writes', () => {
    const reconcile = functionRoles(template).find((f) => f.functionId === 'ReconcilePaymentLambdaFunction');
    const tableActions = reconcile?.statements.filter((s) => [s.Action].flat().some((a) => a.startsWith('dynamodb:')));

    expect(tableActions?.map((s) => [[s.Action].flat(), s.Resource])).toEqual([[['dynamodb:GetItem'], getAtt('PaymentsTable')]]);
  });
});
