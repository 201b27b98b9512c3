import { Groups, Scopes } from '@storefront/contracts';
import { requirePackagedTemplate } from '@storefront/testing';

const template = requirePackagedTemplate('platform');
const resource = (id: string) => template.Resources[id]?.Properties;

describe('who may call the shared HTTP API', () => {
  it('has a user pool with the customers and admins groups the route contracts name', () => {
    const groups = Object.values(template.Resources)
      .filter((r) => r.Type === 'AWS::Cognito::UserPoolGroup')
      .map((r) => r.Properties?.GroupName);

    expect(template.Resources.UserPool?.Type).toBe('AWS::Cognito::UserPool');
    expect(groups.sort()).toEqual(Object.values(Groups).sort());
  });

  it('declares the scopes the route contracts ask for on the storefront resource server, and lets the browser client request them', () => {
    const server = resource('ApiResourceServer') as { Identifier: string; Scopes: { ScopeName: string }[] };
    const declared = server.Scopes.map((scope) => `${server.Identifier}/${scope.ScopeName}`);

    expect(declared.sort()).toEqual(Object.values(Scopes).sort());
    expect(resource('BrowserClient')).toMatchObject({
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: expect.arrayContaining(Object.values(Scopes)),
    });
  });

  it('checks tokens with one JWT authorizer on the API: the pool as issuer, the browser client as audience, and outputs its id', () => {
    expect(resource('HttpApiAuthorizer')).toEqual({
      ApiId: { Ref: 'HttpApi' },
      Name: 'storefront-local-cognito',
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Issuer: { 'Fn::Sub': 'https://cognito-idp.${AWS::Region}.amazonaws.com/${UserPool}' },
        Audience: [{ Ref: 'BrowserClient' }],
      },
    });
    expect((template as { Outputs?: Record<string, unknown> }).Outputs?.HttpApiAuthorizerId).toEqual({
      Value: { Ref: 'HttpApiAuthorizer' },
    });
  });
});

describe('abuse resistance', () => {
  it('allows the browser client its origin, the headers the API reads and the ones clients need to see', () => {
    expect(resource('HttpApi')).toMatchObject({
      CorsConfiguration: {
        AllowOrigins: ['http://localhost:3000'],
        AllowHeaders: expect.arrayContaining(['authorization', 'content-type', 'idempotency-key', 'x-correlation-id']),
        ExposeHeaders: expect.arrayContaining(['location', 'x-correlation-id']),
      },
    });
    expect(resource('BrowserClient')).toMatchObject({ CallbackURLs: ['http://localhost:3000/callback'] });
  });
});
