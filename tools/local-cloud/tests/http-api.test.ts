import { type CfnTemplate, type ComposeService, describeTemplate, StackError } from '#packaging';
import { httpApiSettings, routeAuthorization } from '../src/gateway/http-api.ts';

/** The parts of the platform template the gateway reads, as osls packages them. */
const platform: CfnTemplate = {
  Resources: {
    HttpApi: {
      Type: 'AWS::ApiGatewayV2::Api',
      Properties: { Name: 'storefront-local', CorsConfiguration: { AllowOrigins: ['http://localhost:3000'], MaxAge: 600 } },
    },
    UserPool: { Type: 'AWS::Cognito::UserPool', Properties: {} },
    BrowserClient: {
      Type: 'AWS::Cognito::UserPoolClient',
      Properties: { UserPoolId: { Ref: 'UserPool' }, AccessTokenValidity: 60, TokenValidityUnits: { AccessToken: 'minutes' } },
    },
    HttpApiAuthorizer: {
      Type: 'AWS::ApiGatewayV2::Authorizer',
      Properties: {
        ApiId: { Ref: 'HttpApi' },
        AuthorizerType: 'JWT',
        IdentitySource: ['$request.header.Authorization'],
        JwtConfiguration: {
          Issuer: { 'Fn::Sub': 'https://cognito-idp.${AWS::Region}.amazonaws.com/${UserPool}' },
          Audience: [{ Ref: 'BrowserClient' }],
        },
      },
    },
  },
};

/** The API's stage, its own stack deployed after the routes it throttles; the API's id arrives as a param. */
const apiStage: CfnTemplate = {
  Resources: {
    HttpApiStage: {
      Type: 'AWS::ApiGatewayV2::Stage',
      Properties: {
        ApiId: 'storefront-platform-local-HttpApi',
        DefaultRouteSettings: { ThrottlingRateLimit: 200, ThrottlingBurstLimit: 400 },
        RouteSettings: { 'POST /orders': { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 } },
      },
    },
  },
};

const described = () => [
  {
    service: { name: 'platform' } as ComposeService,
    template: describeTemplate(platform, { stackName: 'storefront-platform-local', region: 'us-east-1' }),
  },
  {
    service: { name: 'api-stage' } as ComposeService,
    template: describeTemplate(apiStage, { stackName: 'storefront-api-stage-local', region: 'us-east-1' }),
  },
];

describe('the HTTP API settings the local gateway applies', () => {
  it('reads the JWT authorizer as routes name it, with the issuer and client it resolves to locally', () => {
    expect(httpApiSettings(described()).authorizers).toEqual([
      {
        id: 'storefront-platform-local-HttpApiAuthorizer',
        issuer: 'https://cognito-idp.us-east-1.amazonaws.com/storefront-platform-local-UserPool',
        audience: ['storefront-platform-local-BrowserClient'],
        header: 'authorization',
      },
    ]);
  });

  it("reads the stage's throttling, with order placement's own limit, from the stack that deploys the stage", () => {
    expect(httpApiSettings(described()).stage).toMatchObject({
      DefaultRouteSettings: { ThrottlingRateLimit: 200, ThrottlingBurstLimit: 400 },
      RouteSettings: { 'POST /orders': { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 } },
    });
  });

  it("reads the API's CORS configuration and how long the client's access tokens live", () => {
    const settings = httpApiSettings(described());

    expect(settings.cors).toEqual({ AllowOrigins: ['http://localhost:3000'], MaxAge: 600 });
    expect(settings.accessTokenSeconds).toBe(3600);
  });
});

describe('who may call a route', () => {
  const { authorizers } = httpApiSettings(described());

  it('names the authorizer and scopes of a JWT route, and nothing for a public one', () => {
    const route = {
      RouteKey: 'PUT /products/{sku}',
      AuthorizationType: 'JWT',
      AuthorizerId: authorizers[0]?.id,
      AuthorizationScopes: ['storefront/admin'],
    };

    expect(routeAuthorization(route, authorizers)).toEqual({ authorizer: authorizers[0], scopes: ['storefront/admin'] });
    expect(routeAuthorization({ RouteKey: 'GET /products' }, authorizers)).toBeUndefined();
    expect(routeAuthorization({ RouteKey: 'GET /products', AuthorizationType: 'NONE' }, authorizers)).toBeUndefined();
  });

  it('stops the stack when a route names an authorizer no template declares, or one it cannot run', () => {
    expect(() => routeAuthorization({ RouteKey: 'POST /orders', AuthorizationType: 'JWT', AuthorizerId: 'gone' }, authorizers)).toThrow(
      StackError,
    );
    expect(() => routeAuthorization({ RouteKey: 'POST /orders', AuthorizationType: 'AWS_IAM' }, authorizers)).toThrow(
      'the route POST /orders uses AWS_IAM authorization',
    );
  });
});
