import { type CfnTemplate, composeServices, LOCAL_STAGE, packagedTemplate, packagedTemplateFile } from '#packaging';
import { type PackagedService, routeSettingsOutOfOrder } from '../src/cloudformation/deploy-order.ts';

const route = (key: string) => ({ Type: 'AWS::ApiGatewayV2::Route', Properties: { ApiId: 'api', RouteKey: key } });
const stage = (routeSettings: unknown, dependsOn?: string) => ({
  Type: 'AWS::ApiGatewayV2::Stage',
  ...(dependsOn ? { DependsOn: dependsOn } : {}),
  Properties: { ApiId: 'api', StageName: '$default', RouteSettings: routeSettings },
});
const packaged = (name: string, dependsOn: string[], resources: CfnTemplate['Resources']): PackagedService => ({
  service: { name, dependsOn },
  template: { Resources: resources },
});
const limits = { ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 };

describe('the order compose deploys stacks in', () => {
  it('lets no packaged stage name a route that a stack deploying later or beside it creates', () => {
    const services = composeServices().map((service): PackagedService => {
      const template = packagedTemplate(service, LOCAL_STAGE);
      if (!template) throw new Error(`${packagedTemplateFile(service, LOCAL_STAGE)} is missing: run \`npm run package\` first`);
      return { service, template };
    });

    expect(
      services.some(({ template }) => Object.values(template.Resources ?? {}).some((r) => r.Type === 'AWS::ApiGatewayV2::Stage')),
    ).toBe(true);
    expect(routeSettingsOutOfOrder(services)).toEqual([]);
  });

  it("names a stage of the platform that throttles a route the orders stack adds after it (a new stage's first deploy would fail)", () => {
    const services = [
      packaged('platform', [], { Stage: stage({ 'POST /orders': limits }) }),
      packaged('orders', ['platform'], { PlaceOrderRoute: route('POST /orders') }),
    ];

    expect(routeSettingsOutOfOrder(services)).toEqual([
      "platform: Resources.Stage.Properties.RouteSettings names the route POST /orders, which orders creates, but compose does not deploy orders first: add it to platform's dependsOn in serverless-compose.yml",
    ]);
  });

  it('names a stage deployed beside the stack that creates its route, and accepts one deployed after it', () => {
    const beside = [
      packaged('orders', ['platform'], { Route: route('POST /orders') }),
      packaged('api-stage', ['platform'], { Stage: stage({ 'POST /orders': limits }) }),
    ];
    const after = [
      packaged('orders', ['platform'], { Route: route('POST /orders') }),
      packaged('api-stage', ['orders'], { Stage: stage({ 'POST /orders': limits }) }),
    ];

    expect(routeSettingsOutOfOrder(beside)).toHaveLength(1);
    expect(routeSettingsOutOfOrder(after)).toEqual([]);
  });

  it('names a route no stack creates, a route of its own stack without a DependsOn, and settings it cannot read', () => {
    const services = [
      packaged('a', [], { Route: route('GET /a'), Stage: stage({ 'GET /a': limits, 'GET /nowhere': limits }) }),
      packaged('b', [], { Route: route('GET /b'), Stage: stage({ 'GET /b': limits }, 'Route') }),
      packaged('c', [], { Stage: stage({ 'Fn::If': ['Cond', { 'GET /b': limits }, { Ref: 'AWS::NoValue' }] }) }),
    ];

    expect(routeSettingsOutOfOrder(services)).toEqual([
      'a: Resources.Stage.Properties.RouteSettings names the route GET /a of its own stack without a DependsOn on Route',
      'a: Resources.Stage.Properties.RouteSettings names the route GET /nowhere, which no stack creates',
      'c: Resources.Stage.Properties.RouteSettings is not a plain map of route keys, so which routes it names cannot be known before deploying',
    ]);
  });
});
