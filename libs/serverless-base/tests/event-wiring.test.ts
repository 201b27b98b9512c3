import { type WiredFunction, wireService } from '../event-wiring/index.ts';

const ordersTopic = 'arn:aws:sns:us-east-1:000000000000:shop-orders';
const paymentsTopic = 'arn:aws:sns:us-east-1:000000000000:shop-payments';
const schedule = { schedule: 'rate(5 minutes)' };
const ownStatement = { Effect: 'Allow', Action: ['dynamodb:PutItem'], Resource: 'arn:table' };

function serviceWith(functions: Record<string, WiredFunction>, resources: Record<string, unknown> = {}) {
  return { service: 'shop', provider: { timeout: 10 }, functions, resources: { Resources: resources } };
}

describe('wiring a service', () => {
  it('replaces each declaration by the event it builds and keeps the function’s other events in place', () => {
    const service = serviceWith({
      notify: {
        handler: 'notify.handler',
        events: [schedule, { subscription: { queue: 'OrderEvents', topicArn: ordersTopic } }],
      },
    });

    wireService(service, { namePrefix: 'shop-dev', consumes: { notify: ['OrderPlaced'] } });

    expect(service.functions.notify).toEqual({
      handler: 'notify.handler',
      events: [
        schedule,
        { sqs: { arn: { 'Fn::GetAtt': ['OrderEventsQueue', 'Arn'] }, batchSize: 10, functionResponseType: 'ReportBatchItemFailures' } },
      ],
    });
    expect(Object.keys(service.resources.Resources).sort()).toEqual([
      'OrderEventsDeadLetterQueue',
      'OrderEventsQueue',
      'OrderEventsQueuePolicy',
      'OrderEventsSubscription',
    ]);
  });

  it('adds the relay’s statements after the function’s own', () => {
    const service = serviceWith({
      publish: {
        handler: 'publish.handler',
        iamRoleStatements: [ownStatement],
        events: [{ outboxRelay: { table: 'T', topicArn: ordersTopic } }],
      },
    });

    wireService(service, { namePrefix: 'shop-dev' });

    expect(service.functions.publish).toMatchObject({
      iamRoleStatements: [
        ownStatement,
        { Action: ['sns:Publish'], Resource: ordersTopic },
        { Action: ['sqs:SendMessage'], Resource: { 'Fn::GetAtt': ['OutboxFailedQueue', 'Arn'] } },
      ],
    });
  });

  it('filters each subscription on what its own function’s handler consumes', () => {
    const service = serviceWith({
      notify: { handler: 'notify.handler', events: [{ subscription: { queue: 'OrderEvents', topicArn: ordersTopic } }] },
      refund: { handler: 'refund.handler', events: [{ subscription: { queue: 'PaymentEvents', topicArn: paymentsTopic } }] },
    });

    wireService(service, { namePrefix: 'shop-dev', consumes: { notify: ['OrderPlaced', 'OrderCancelled'], refund: ['PaymentRefunded'] } });

    expect(service.resources.Resources).toMatchObject({
      OrderEventsSubscription: { Properties: { FilterPolicy: { eventType: ['OrderPlaced', 'OrderCancelled'] } } },
      PaymentEventsSubscription: { Properties: { FilterPolicy: { eventType: ['PaymentRefunded'] } } },
    });
  });

  it('sizes the queue visibility from the consuming function’s own timeout', () => {
    const service = serviceWith({
      slow: {
        handler: 'slow.handler',
        timeout: 20,
        events: [{ subscription: { queue: 'Work', topicArn: ordersTopic } }],
      },
    });

    wireService(service, { namePrefix: 'shop-dev', consumes: { slow: ['Done'] } });

    expect(service.resources.Resources).toMatchObject({ WorkQueue: { Properties: { VisibilityTimeout: 120 } } });
  });

  it('refuses a declaration that would replace a resource the service declares itself', () => {
    const service = serviceWith(
      {
        notify: {
          handler: 'notify.handler',
          events: [{ subscription: { queue: 'OrderEvents', topicArn: ordersTopic } }],
        },
      },
      { OrderEventsQueue: { Type: 'AWS::SQS::Queue' } },
    );

    expect(() => wireService(service, { namePrefix: 'shop-dev', consumes: { notify: ['X'] } })).toThrow(
      "notify's subscription builds OrderEventsQueue, already declared by the service's resources",
    );
  });

  it('refuses a second outbox relay in one service', () => {
    const relay = { outboxRelay: { table: 'T', topicArn: ordersTopic } };
    const service = serviceWith({ first: { handler: 'a.handler', events: [relay] }, second: { handler: 'b.handler', events: [relay] } });

    expect(() => wireService(service, { namePrefix: 'shop-dev' })).toThrow(
      "second's outboxRelay builds OutboxFailedQueue, already declared by first's outboxRelay",
    );
  });
});
