import type { ComposeService } from '#packaging';
import { changedStacks, incompleteStacks, paramFindings, type RehearsedService, withDependents } from '../src/rehearsal/checks.ts';
import type { DeployedStack } from '../src/rehearsal/stacks.ts';

const platform: ComposeService = { name: 'platform', dir: 'apps/platform', params: [], dependsOn: [] };
const orders: ComposeService = {
  name: 'orders',
  dir: 'apps/orders',
  params: [{ param: 'ordersTopicArn', from: 'platform', output: 'OrdersTopicArn' }],
  dependsOn: ['platform'],
};
const topicArn = 'arn:aws:sns:us-east-1:123456789012:storefront-dev-orders';

const stack = (name: string, overrides: Partial<DeployedStack> = {}): DeployedStack => ({
  name,
  status: 'CREATE_COMPLETE',
  outputs: {},
  changedAt: '2026-12-07T10:00:00.000Z',
  events: 10,
  seconds: 3,
  resourceTypes: [],
  template: '{}',
  ...overrides,
});

function aDeployedStage({
  platformOutputs = { OrdersTopicArn: topicArn },
  ordersTemplate = `{"TopicArn":"${topicArn}"}`,
}: { platformOutputs?: Record<string, string>; ordersTemplate?: string } = {}): RehearsedService[] {
  return [
    { service: platform, stackName: 'storefront-platform-dev', stack: stack('storefront-platform-dev', { outputs: platformOutputs }) },
    { service: orders, stackName: 'storefront-orders-dev', stack: stack('storefront-orders-dev', { template: ordersTemplate }) },
  ];
}

describe("the rehearsal's checks of a deployed stage", () => {
  it('finds nothing when every param is a real output its consumer uses', () => {
    const stage = aDeployedStage();

    expect(paramFindings(stage)).toEqual([]);
    expect(incompleteStacks(stage)).toEqual([]);
  });

  it('names the param and the service when the producer renamed the output it reads', () => {
    const stage = aDeployedStage({ platformOutputs: { OrderTopicArn: topicArn } });

    expect(paramFindings(stage)).toEqual([
      'orders.params.ordersTopicArn (serverless-compose.yml) reads ${platform.OrdersTopicArn}, but storefront-platform-dev has no output OrdersTopicArn',
    ]);
  });

  it("names a param whose value never reached its consumer's template", () => {
    expect(paramFindings(aDeployedStage({ ordersTemplate: '{}' }))).toEqual([
      `orders.params.ordersTopicArn (serverless-compose.yml) = ${topicArn}, from platform.OrdersTopicArn, is not in orders's deployed template`,
    ]);
  });

  it('names a stack that failed or is missing', () => {
    const stage = aDeployedStage();
    (stage[0] as RehearsedService).stack = stack('storefront-platform-dev', { status: 'UPDATE_ROLLBACK_COMPLETE' });
    (stage[1] as RehearsedService).stack = undefined;

    expect(incompleteStacks(stage)).toEqual([
      'platform: stack storefront-platform-dev is UPDATE_ROLLBACK_COMPLETE',
      'orders: stack storefront-orders-dev does not exist',
    ]);
  });

  it('sees a stack changed when its last change or its events moved, and only then', () => {
    const before = aDeployedStage();
    const after = aDeployedStage();
    (after[1] as RehearsedService).stack = stack('storefront-orders-dev', { events: 14 });

    expect(changedStacks(before, aDeployedStage())).toEqual([]);
    expect(changedStacks(before, after)).toEqual(['orders']);
  });

  it('expects a change to a service to redeploy its dependents, in compose order', () => {
    expect(withDependents([platform, orders], 'platform')).toEqual(['platform', 'orders']);
    expect(withDependents([platform, orders], 'orders')).toEqual(['orders']);
  });
});
