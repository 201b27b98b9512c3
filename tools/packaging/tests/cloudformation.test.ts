import { describeTemplate, resolveValue } from '../src/cloudformation.ts';

const template = {
  Resources: {
    OrdersTopic: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'storefront-local-orders' } },
    EventsQueue: {
      Type: 'AWS::SQS::Queue',
      Properties: {
        QueueName: 'events',
        RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['EventsDlq', 'Arn'] }, maxReceiveCount: 3 },
      },
    },
    EventsDlq: { Type: 'AWS::SQS::Queue', Properties: {} },
    Table: { Type: 'AWS::DynamoDB::Table', Properties: { TableName: 'orders' } },
    Api: { Type: 'AWS::ApiGatewayV2::Api', Properties: { Name: 'storefront-local' } },
  },
  Outputs: {
    TopicArn: { Value: { Ref: 'OrdersTopic' } },
    ApiUrl: { Value: { 'Fn::GetAtt': ['Api', 'ApiEndpoint'] } },
  },
};
const ctx = { template, stackName: 'storefront-test-local', region: 'us-east-1', apiEndpoint: 'http://localhost:4000' };

describe('resolving a template for the local account', () => {
  it('turns a Ref to a topic into its local ARN', () => {
    expect(resolveValue({ Ref: 'OrdersTopic' }, ctx)).toBe('arn:aws:sns:us-east-1:000000000000:storefront-local-orders');
  });

  it('names a resource without an explicit name after its stack and logical id', () => {
    expect(resolveValue({ 'Fn::GetAtt': ['EventsDlq', 'Arn'] }, ctx)).toBe(
      'arn:aws:sqs:us-east-1:000000000000:storefront-test-local-EventsDlq',
    );
  });

  it('resolves Sub, Join and pseudo parameters', () => {
    expect(resolveValue({ 'Fn::Sub': '${Table.Arn}/index/*' }, ctx)).toBe('arn:aws:dynamodb:us-east-1:000000000000:table/orders/index/*');
    expect(resolveValue({ 'Fn::Join': ['-', [{ Ref: 'AWS::Region' }, 'x']] }, ctx)).toBe('us-east-1-x');
  });

  it('resolves outputs, with the gateway as the HTTP API endpoint', () => {
    expect(describeTemplate(template, ctx).outputs).toEqual({
      TopicArn: 'arn:aws:sns:us-east-1:000000000000:storefront-local-orders',
      ApiUrl: 'http://localhost:4000',
    });
  });

  it('resolves references inside resource properties', () => {
    const queue = describeTemplate(template, ctx).resources.find((r: { logicalId: string }) => r.logicalId === 'EventsQueue');

    expect(queue?.properties.RedrivePolicy.deadLetterTargetArn).toBe('arn:aws:sqs:us-east-1:000000000000:storefront-test-local-EventsDlq');
  });

  it('refuses a Ref to a resource the template does not have', () => {
    expect(() => resolveValue({ Ref: 'Missing' }, ctx)).toThrow('Ref to unknown resource Missing');
  });
});

describe('resolving payments resources for the local account', () => {
  // As serverless-step-functions emits a state machine: the definition an Fn::Sub with function ARNs in it.
  const definition = {
    StartAt: 'Charge',
    States: {
      Charge: {
        Type: 'Task',
        Resource: 'arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:storefront-payments-local-chargePayment',
        End: true,
      },
    },
  };
  const payments = {
    Resources: {
      CheckoutStateMachine: {
        Type: 'AWS::StepFunctions::StateMachine',
        Properties: { StateMachineName: 'storefront-local-checkout', DefinitionString: { 'Fn::Sub': JSON.stringify(definition) } },
      },
      PaymentProviderSecret: { Type: 'AWS::SecretsManager::Secret', Properties: { Name: 'storefront/local/payment-provider' } },
    },
    Outputs: { CheckoutStateMachineArn: { Value: { Ref: 'CheckoutStateMachine' } } },
  };
  const paymentsCtx = { template: payments, stackName: 'storefront-payments-local', region: 'us-east-1' };

  it('turns a Ref to a state machine into its ARN, as a function environment or an output reads it', () => {
    expect(resolveValue({ Ref: 'CheckoutStateMachine' }, paymentsCtx)).toBe(
      'arn:aws:states:us-east-1:000000000000:stateMachine:storefront-local-checkout',
    );
    expect(describeTemplate(payments, paymentsCtx).outputs.CheckoutStateMachineArn).toBe(
      'arn:aws:states:us-east-1:000000000000:stateMachine:storefront-local-checkout',
    );
  });

  it("resolves the definition's function ARNs for the local account", () => {
    const machine = describeTemplate(payments, paymentsCtx).resources.find((r) => r.logicalId === 'CheckoutStateMachine');

    expect(JSON.parse(machine?.properties.DefinitionString).States.Charge.Resource).toBe(
      'arn:aws:lambda:us-east-1:000000000000:function:storefront-payments-local-chargePayment',
    );
  });

  it('names a secret by its Name and refers to it by an ARN with a six-character suffix, as AWS does', () => {
    const secret = describeTemplate(payments, paymentsCtx).resources.find((r) => r.logicalId === 'PaymentProviderSecret');
    const arn = resolveValue({ Ref: 'PaymentProviderSecret' }, paymentsCtx);

    expect(secret?.name).toBe('storefront/local/payment-provider');
    expect(arn).toMatch(/^arn:aws:secretsmanager:us-east-1:000000000000:secret:storefront\/local\/payment-provider-[A-Za-z0-9]{6}$/);
  });

  it("keeps Fn::Sub's escaped ${!Literal} as a literal", () => {
    expect(resolveValue({ 'Fn::Sub': '${!Payload} in ${AWS::Region}' }, paymentsCtx)).toBe('${Payload} in us-east-1');
  });
});

describe('resolving conditions', () => {
  // As the platform template throttles order placement: route settings only while a param says "on".
  const stageWith = (switchedOn: string) => ({
    Conditions: {
      ThrottleOrders: { 'Fn::Equals': [switchedOn, 'on'] },
      Anyway: { 'Fn::Or': [{ Condition: 'ThrottleOrders' }, { 'Fn::Not': [{ Condition: 'ThrottleOrders' }] }] },
    },
    Resources: {
      Stage: {
        Type: 'AWS::ApiGatewayV2::Stage',
        Properties: {
          DefaultRouteSettings: { ThrottlingRateLimit: 200 },
          RouteSettings: {
            'Fn::If': ['ThrottleOrders', { 'POST /orders': { ThrottlingRateLimit: 50 } }, { Ref: 'AWS::NoValue' }],
          },
          Tags: ['kept', { 'Fn::If': ['ThrottleOrders', 'throttled', { Ref: 'AWS::NoValue' }] }],
        },
      },
      OnlyWhenThrottled: { Type: 'AWS::SNS::Topic', Condition: 'ThrottleOrders', Properties: {} },
    },
    Outputs: { Both: { Value: { 'Fn::If': ['Anyway', 'yes', 'no'] } } },
  });
  const described = (switchedOn: string) =>
    describeTemplate(stageWith(switchedOn), { stackName: 'storefront-platform-local', region: 'us-east-1' });
  const stage = (switchedOn: string) => described(switchedOn).resources.find((r) => r.logicalId === 'Stage')?.properties;

  it("takes Fn::If's first value where its condition holds", () => {
    expect(stage('on')).toMatchObject({ RouteSettings: { 'POST /orders': { ThrottlingRateLimit: 50 } }, Tags: ['kept', 'throttled'] });
  });

  it('leaves out a property or list item whose value is AWS::NoValue', () => {
    expect(stage('off')).toEqual({ DefaultRouteSettings: { ThrottlingRateLimit: 200 }, Tags: ['kept'] });
  });

  it('keeps a resource only where its condition holds, and reads And/Or/Not and named conditions', () => {
    expect(described('on').resources.map((r) => r.logicalId)).toEqual(['Stage', 'OnlyWhenThrottled']);
    expect(described('off').resources.map((r) => r.logicalId)).toEqual(['Stage']);
    expect(described('off').outputs).toEqual({ Both: 'yes' });
  });

  it('refuses a condition the template does not declare', () => {
    expect(() => resolveValue({ 'Fn::If': ['Missing', 1, 2] }, { template: {}, stackName: 's', region: 'us-east-1' })).toThrow(
      'unknown condition Missing',
    );
  });
});
