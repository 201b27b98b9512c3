import { routeKeysOf } from '@storefront/contracts';
import { describeServiceTemplate, functionRoles } from '@storefront/testing';
import { ProviderTimeoutError, ProviderUnavailableError } from '../../src/domain/errors';

const template = describeServiceTemplate('payments', {
  routes: routeKeysOf('payments'),
  subscriptions: [
    {
      queue: 'OrderEvents',
      topic: 'orders',
      eventTypes: ['OrderReserved', 'OrderCancelled', 'OrderRejected'],
      consumer: 'startOrCancelCheckout',
    },
  ],
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

  it('charges, decides on the outcome and records it, every task and the whole run bounded in time', () => {
    const tasks = Object.entries(states).filter(([, state]) => state.Type === 'Task');

    expect(definition.StartAt).toBe('ChargePayment');
    expect(definition.TimeoutSeconds).toBeGreaterThan(0);
    expect(tasks.map(([name, state]) => [name, state.Resource])).toEqual([
      ['ChargePayment', 'ChargePaymentLambdaFunction'],
      ['RecordPaymentOutcome', 'RecordPaymentOutcomeLambdaFunction'],
    ]);
    for (const [, task] of tasks) expect(task.TimeoutSeconds).toBeGreaterThan(0);
    expect(states.ChargeOutcome?.Choices?.map((choice) => [choice.StringEquals, choice.Next])).toEqual([
      ['captured', 'RecordPaymentOutcome'],
      ['declined', 'RecordPaymentOutcome'],
      ['cancelled', 'RecordPaymentOutcome'],
    ]);
    expect(states.RecordPaymentOutcome?.End).toBe(true);
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

  it('records a PROVIDER_UNAVAILABLE failure for whatever charging could not get past', () => {
    expect(states.ChargePayment?.Catch).toEqual([
      { ErrorEquals: ['States.ALL'], ResultPath: '$.chargeError', Next: 'ProviderUnavailable' },
    ]);
    expect(states.ProviderUnavailable).toMatchObject({
      Type: 'Pass',
      Parameters: { outcome: 'unavailable', 'error.$': '$.chargeError.Error' },
      ResultPath: '$.charge',
      Next: 'RecordPaymentOutcome',
    });
  });

  it('uses only JSONPath and Lambda tasks, which run the same on AWS and locally', () => {
    expect(definition.QueryLanguage ?? 'JSONPath').toBe('JSONPath');
    for (const state of Object.values(states)) expect(state.QueryLanguage ?? 'JSONPath').toBe('JSONPath');
  });

  it('may invoke exactly its two task functions, nothing else', () => {
    const role = resource('CheckoutStateMachineRole') as {
      Policies: { PolicyDocument: { Statement: { Action: string[]; Resource: unknown }[] } }[];
    };
    const invoke = role.Policies.flatMap((p) => p.PolicyDocument.Statement).filter((s) => !s.Action.every((a) => a.startsWith('xray:')));

    expect(invoke).toEqual([
      {
        Effect: 'Allow',
        Action: ['lambda:InvokeFunction'],
        Resource: [
          getAtt('ChargePaymentLambdaFunction'),
          { 'Fn::Sub': ['${functionArn}:*', { functionArn: getAtt('ChargePaymentLambdaFunction') }] },
          getAtt('RecordPaymentOutcomeLambdaFunction'),
          { 'Fn::Sub': ['${functionArn}:*', { functionArn: getAtt('RecordPaymentOutcomeLambdaFunction') }] },
        ],
      },
    ]);
  });

  it('alarms to the alerts topic on any execution that fails, times out or is aborted', () => {
    const alarms = Object.values(template.Resources).filter(
      (r) => r.Type === 'AWS::CloudWatch::Alarm' && r.Properties.Namespace === 'AWS/States',
    );

    expect(alarms.map((a) => a.Properties.MetricName).sort()).toEqual(['ExecutionsAborted', 'ExecutionsFailed', 'ExecutionsTimedOut']);
    for (const alarm of alarms)
      expect(alarm.Properties).toMatchObject({
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        AlarmActions: [expect.stringMatching(/:storefront-local-alerts$/)],
        Dimensions: [{ Name: 'StateMachineArn', Value: { Ref: 'CheckoutStateMachine' } }],
      });
  });
});

describe("the provider's key and the workflow's start", () => {
  it('lets exactly the functions that call the provider read exactly its secret', () => {
    expect(statementsAllowing('secretsmanager:GetSecretValue')).toEqual([
      { functionId: 'StartOrCancelCheckoutLambdaFunction', resource: { Ref: 'PaymentProviderSecret' } },
      { functionId: 'ChargePaymentLambdaFunction', resource: { Ref: 'PaymentProviderSecret' } },
      { functionId: 'RecordPaymentOutcomeLambdaFunction', resource: { Ref: 'PaymentProviderSecret' } },
    ]);
    const secretActions = functionRoles(template).flatMap(({ statements }) =>
      statements.flatMap((s) => [s.Action].flat()).filter((a) => a.startsWith('secretsmanager:')),
    );
    expect(secretActions).toEqual(Array(3).fill('secretsmanager:GetSecretValue'));
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

    expect(functions.filter((id) => 'PAYMENT_PROVIDER_SECRET_ID' in variables(id))).toEqual([
      'StartOrCancelCheckoutLambdaFunction',
      'ChargePaymentLambdaFunction',
      'RecordPaymentOutcomeLambdaFunction',
    ]);
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
