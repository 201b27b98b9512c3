import { requirePackagedTemplate } from '@storefront/testing';

const template = requirePackagedTemplate('api-stage');

interface Limits {
  ThrottlingRateLimit: number;
  ThrottlingBurstLimit: number;
}

describe("the shared HTTP API's stage", () => {
  const stage = template.Resources.HttpApiStage?.Properties as {
    ApiId: string;
    StageName: string;
    AutoDeploy: boolean;
    DefaultRouteSettings: Limits;
    RouteSettings: Record<string, Limits>;
  };

  it("serves the platform's API as its default stage, deploying route changes by itself", () => {
    expect(template.Resources.HttpApiStage?.Type).toBe('AWS::ApiGatewayV2::Stage');
    expect(stage).toMatchObject({ StageName: '$default', AutoDeploy: true });
    expect(typeof stage.ApiId).toBe('string');
  });

  it('throttles every route of the stage, and placing orders more tightly', () => {
    const placeOrder = stage.RouteSettings['POST /orders'];

    expect(stage.DefaultRouteSettings.ThrottlingRateLimit).toBeGreaterThan(0);
    expect(stage.DefaultRouteSettings.ThrottlingBurstLimit).toBeGreaterThan(0);
    expect(placeOrder?.ThrottlingRateLimit).toBeLessThan(stage.DefaultRouteSettings.ThrottlingRateLimit);
    expect(placeOrder?.ThrottlingBurstLimit).toBeLessThan(stage.DefaultRouteSettings.ThrottlingBurstLimit);
  });
});
