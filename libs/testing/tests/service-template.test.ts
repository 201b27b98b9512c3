import { arnOf, expectedSubscriptionResources, serviceTemplateChecks, type CfnTemplate, type ServiceTemplateRules } from '../src';

const topic = (name: string) => `arn:aws:sns:us-east-1:000000000000:storefront-local-${name}`;
const rules: ServiceTemplateRules = {
  routes: [{ method: 'GET', template: '/shop/{id}', access: 'customer' }],
  subscriptions: [{ queue: 'OrderEvents', topic: 'orders', consumer: 'consume', consumes: ['OrderPlaced'] }],
  outboxRelay: { function: 'publish', table: 'ShopTable', topic: 'shop' },
};

function aFunction(name: string, statements: unknown[]) {
  return {
    [`${name}LambdaFunction`]: {
      Type: 'AWS::Lambda::Function',
      Properties: {
        Role: { 'Fn::GetAtt': [`${name}IamRoleLambdaExecution`, 'Arn'] },
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        Timeout: 10,
        Tags: [
          { Key: 'system', Value: 'storefront' },
          { Key: 'service', Value: 'storefront-shop' },
          { Key: 'stage', Value: 'local' },
        ],
      },
    },
    [`${name}IamRoleLambdaExecution`]: {
      Type: 'AWS::IAM::Role',
      Properties: { Policies: [{ PolicyDocument: { Statement: statements } }] },
    },
  };
}

const alarmOn = (queue: string) => ({
  [`${queue}Alarm`]: {
    Type: 'AWS::CloudWatch::Alarm',
    Properties: {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queue, 'QueueName'] } }],
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Threshold: 1,
      AlarmActions: [topic('alerts')],
    },
  },
});

/** A service that keeps every rule: one HTTP route, one subscription, one outbox relay. */
function aCompliantTemplate(): CfnTemplate {
  return structuredClone({
    Resources: {
      ...aFunction('Consume', [{ Effect: 'Allow', Action: ['dynamodb:PutItem'], Resource: arnOf('ShopTable') }]),
      ...aFunction('Publish', [{ Effect: 'Allow', Action: ['sns:Publish'], Resource: topic('shop') }]),
      ...expectedSubscriptionResources({
        queue: 'OrderEvents',
        namePrefix: 'storefront-shop-local',
        topicArn: topic('orders'),
        eventTypes: ['OrderPlaced'],
        visibilityTimeout: 60,
      }),
      ConsumeEventSourceMapping: {
        Type: 'AWS::Lambda::EventSourceMapping',
        Properties: {
          EventSourceArn: arnOf('OrderEventsQueue'),
          FunctionName: arnOf('ConsumeLambdaFunction'),
          BatchSize: 10,
          Enabled: true,
          FunctionResponseTypes: ['ReportBatchItemFailures'],
        },
      },
      PublishEventSourceMapping: {
        Type: 'AWS::Lambda::EventSourceMapping',
        Properties: {
          EventSourceArn: { 'Fn::GetAtt': ['ShopTable', 'StreamArn'] },
          FunctionName: arnOf('PublishLambdaFunction'),
          BisectBatchOnFunctionError: true,
          MaximumRetryAttempts: 5,
          FunctionResponseTypes: ['ReportBatchItemFailures'],
          DestinationConfig: { OnFailure: { Destination: arnOf('OutboxFailedQueue') } },
          FilterCriteria: {
            Filters: [
              { Pattern: JSON.stringify({ eventName: ['INSERT'], dynamodb: { NewImage: { entityType: { S: ['OUTBOX_EVENT'] } } } }) },
            ],
          },
        },
      },
      OutboxFailedQueue: { Type: 'AWS::SQS::Queue', Properties: {} },
      ...alarmOn('OrderEventsDeadLetterQueue'),
      ...alarmOn('OutboxFailedQueue'),
      ShopRoute: {
        Type: 'AWS::ApiGatewayV2::Route',
        Properties: {
          RouteKey: 'GET /shop/{id}',
          AuthorizationType: 'JWT',
          AuthorizerId: 'storefront-platform-local-HttpApiAuthorizer',
          AuthorizationScopes: ['storefront/shop'],
        },
      },
    },
  }) as CfnTemplate;
}

/** A resource's properties, open to any edit: each case below breaks one rule by hand. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- typing every nested CloudFormation property would hide the edits
const propertiesOf = (template: CfnTemplate, id: string) => template.Resources[id]!.Properties as Record<string, any>;

/** The names of the checks that fail on a template. */
function failedChecks(template: CfnTemplate): string[] {
  return Object.entries(serviceTemplateChecks(template, 'shop', rules)).flatMap(([name, check]) => {
    try {
      check();
      return [];
    } catch {
      return [name];
    }
  });
}

describe('the checks every service template must pass', () => {
  it('pass a template that keeps every rule', () => {
    expect(failedChecks(aCompliantTemplate())).toEqual([]);
  });

  it.each<[string, (template: CfnTemplate) => void, RegExp]>([
    [
      'two functions share a role',
      (t) => (propertiesOf(t, 'ConsumeLambdaFunction').Role = arnOf('PublishIamRoleLambdaExecution')),
      /role of its own/,
    ],
    [
      'a function may do any action',
      (t) => (propertiesOf(t, 'ConsumeIamRoleLambdaExecution').Policies[0].PolicyDocument.Statement[0].Action = ['dynamodb:*']),
      /wildcard/,
    ],
    ['a function runs on x86', (t) => (propertiesOf(t, 'ConsumeLambdaFunction').Architectures = ['x86_64']), /arm64/],
    ['a route is missing', (t) => delete t.Resources.ShopRoute, /routes/],
    ['a customer route is left open', (t) => delete propertiesOf(t, 'ShopRoute').AuthorizationType, /guards every route/],
    [
      'a customer route asks for the admin scope',
      (t) => (propertiesOf(t, 'ShopRoute').AuthorizationScopes = ['storefront/admin']),
      /guards/,
    ],
    [
      'the subscription hears another event type',
      (t) => propertiesOf(t, 'OrderEventsSubscription').FilterPolicy.eventType.push('OrderCancelled'),
      /hears only/,
    ],
    [
      'any topic may send to the queue',
      (t) => delete propertiesOf(t, 'OrderEventsQueuePolicy').PolicyDocument.Statement[0].Condition,
      /hears only/,
    ],
    [
      'the queue dead-letters after ten receives',
      (t) => (propertiesOf(t, 'OrderEventsQueue').RedrivePolicy.maxReceiveCount = 10),
      /hears only/,
    ],
    [
      'the queue feeds another function',
      (t) => (propertiesOf(t, 'ConsumeEventSourceMapping').FunctionName = arnOf('PublishLambdaFunction')),
      /feeds consume/,
    ],
    [
      'a source reports no partial batch failures',
      (t) => delete propertiesOf(t, 'ConsumeEventSourceMapping').FunctionResponseTypes,
      /event source for each/,
    ],
    [
      'the relay does not bisect',
      (t) => (propertiesOf(t, 'PublishEventSourceMapping').BisectBatchOnFunctionError = false),
      /relays outbox inserts/,
    ],
    ['a failure queue has no alarm', (t) => delete t.Resources.OutboxFailedQueueAlarm, /alarms/],
    ['an alarm notifies another topic', (t) => (propertiesOf(t, 'OutboxFailedQueueAlarm').AlarmActions = [topic('orders')]), /alarms/],
    [
      'another function may publish',
      (t) =>
        propertiesOf(t, 'ConsumeIamRoleLambdaExecution').Policies[0].PolicyDocument.Statement.push({
          Effect: 'Allow',
          Action: ['sns:Publish'],
          Resource: topic('shop'),
        }),
      /only the relay publish/,
    ],
    [
      'the relay publishes to another topic',
      (t) => (propertiesOf(t, 'PublishIamRoleLambdaExecution').Policies[0].PolicyDocument.Statement[0].Resource = topic('orders')),
      /only the relay publish/,
    ],
  ])('fail when %s', (_, breakRule, failingCheck) => {
    const template = aCompliantTemplate();
    breakRule(template);

    expect(failedChecks(template)).toContainEqual(expect.stringMatching(failingCheck));
  });
});
