import OfflineReferences, { resolveReferences, SCHEDULES_VARIABLE, VARIABLE, withoutAuthorizers } from '../offline-references/index.ts';

const stateMachineArn = 'arn:aws:states:us-east-1:000000000000:stateMachine:storefront-local-checkout';

function paymentsService() {
  return {
    provider: { environment: { POWERTOOLS_SERVICE_NAME: 'storefront-payments' } },
    functions: {
      startCheckout: {
        name: 'storefront-payments-local-startCheckout',
        environment: { CHECKOUT_STATE_MACHINE_ARN: { Ref: 'CheckoutStateMachine' }, PAYMENTS_TABLE: 'payments' },
      },
      getPayment: { name: 'storefront-payments-local-getPayment', environment: { PAYMENTS_TABLE: 'payments' } },
    },
  };
}

describe('environment references under serverless-offline', () => {
  afterEach(() => {
    delete process.env[VARIABLE];
  });

  it('puts the locally resolved value in place of a Ref and leaves plain values alone', () => {
    const service = paymentsService();

    const missing = resolveReferences(service, {
      'storefront-payments-local-startCheckout': { CHECKOUT_STATE_MACHINE_ARN: stateMachineArn, PAYMENTS_TABLE: 'as-packaged' },
    });

    expect(missing).toEqual([]);
    expect(service.functions.startCheckout.environment).toEqual({
      CHECKOUT_STATE_MACHINE_ARN: stateMachineArn,
      PAYMENTS_TABLE: 'payments',
    });
    expect(service.functions.getPayment.environment).toEqual({ PAYMENTS_TABLE: 'payments' });
  });

  it('resolves a reference in the provider’s environment into each function’s own', () => {
    const service = paymentsService();
    Object.assign(service.provider.environment, { SHARED_ARN: { 'Fn::GetAtt': ['CheckoutStateMachine', 'Arn'] } });

    resolveReferences(service, {
      'storefront-payments-local-startCheckout': { CHECKOUT_STATE_MACHINE_ARN: stateMachineArn, SHARED_ARN: stateMachineArn },
      'storefront-payments-local-getPayment': { SHARED_ARN: stateMachineArn },
    });

    expect(service.functions.getPayment.environment).toEqual({ PAYMENTS_TABLE: 'payments', SHARED_ARN: stateMachineArn });
  });

  it('names every reference it has no value for', () => {
    expect(resolveReferences(paymentsService(), {})).toEqual(['startCheckout.CHECKOUT_STATE_MACHINE_ARN']);
  });

  it('changes nothing when the local stack did not start offline', () => {
    const service = paymentsService();
    const plugin = new OfflineReferences({ service, classes: { Error } });

    plugin.hooks['before:offline:start:init']();

    expect(service.functions.startCheckout.environment.CHECKOUT_STATE_MACHINE_ARN).toEqual({ Ref: 'CheckoutStateMachine' });
  });

  it('stops offline with the names of references left unresolved', () => {
    const plugin = new OfflineReferences({ service: paymentsService(), classes: { Error } });
    process.env[VARIABLE] = '{}';

    expect(() => plugin.hooks['before:offline:start:init']()).toThrow('No local value for startCheckout.CHECKOUT_STATE_MACHINE_ARN');
  });
});

describe('JWT authorizers under serverless-offline', () => {
  it('runs authorized routes without their authorizer, since the local gateway checks tokens in front of offline', () => {
    const authorizer = { id: 'authorizer-id', scopes: ['storefront/shop'] };
    const service = {
      functions: {
        placeOrder: { events: [{ httpApi: { method: 'POST', path: '/orders', authorizer } }] },
        getProduct: { events: [{ httpApi: { method: 'GET', path: '/products/{sku}' } }] },
        publishEvents: { events: [{ stream: { arn: 'stream-arn' } }] },
      },
    };

    const changed = withoutAuthorizers(service);

    expect(changed).toEqual(['POST /orders']);
    expect(service.functions.placeOrder.events).toEqual([{ httpApi: { method: 'POST', path: '/orders' } }]);
    expect(service.functions.getProduct.events).toEqual([{ httpApi: { method: 'GET', path: '/products/{sku}' } }]);
  });
});

describe('schedules under serverless-offline', () => {
  const watchdog = () => ({
    functions: {
      resolveStaleOrders: {
        name: 'storefront-orders-local-resolveStaleOrders',
        events: [{ schedule: 'rate(5 minutes)' }, { sqs: { arn: 'q' } }],
      },
    },
  });

  afterEach(() => {
    delete process.env[SCHEDULES_VARIABLE];
  });

  it('leaves the schedules to the local stack when it started offline, so nothing fires twice', () => {
    const service = watchdog();
    process.env[SCHEDULES_VARIABLE] = '1';

    new OfflineReferences({ service, classes: { Error } }).hooks['before:offline:start:init']();

    expect(service.functions.resolveStaleOrders.events).toEqual([{ sqs: { arn: 'q' } }]);
  });

  it('keeps them for offline run by hand', () => {
    const service = watchdog();

    new OfflineReferences({ service, classes: { Error } }).hooks['before:offline:start:init']();

    expect(service.functions.resolveStaleOrders.events).toHaveLength(2);
  });
});
