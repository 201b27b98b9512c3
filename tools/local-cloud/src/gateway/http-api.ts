/**
 * What the shared HTTP API does before any route's function runs, read from the packaged templates as API Gateway
 * would read them: its JWT authorizers, the stage's throttling, the API's CORS configuration, and which authorizer and
 * scopes each route asks for. The platform template owns the API and its authorizer (the services' routes name it by
 * id), the api-stage template the stage.
 */
import { StackError } from '#packaging';
import type { CorsConfiguration } from './cors.ts';
import type { JwtAuthorizer, RouteAuthorization } from './jwt-authorizer.ts';
import { resourcesOf } from '../stack/layout.ts';
import type { StageSettings } from './throttling.ts';
import type { DescribedService } from '../common/types.ts';

export interface HttpApiSettings {
  authorizers: JwtAuthorizer[];
  stage: StageSettings;
  cors: CorsConfiguration | undefined;
  /** How long the access tokens of the authorizer's first client live (its AccessTokenValidity), in seconds. */
  accessTokenSeconds: number | undefined;
}

/** `$request.header.Authorization` → `authorization`; the only identity source a JWT authorizer takes. */
function headerOf(identitySource: unknown, authorizer: string): string {
  const [source] = [identitySource].flat();
  const match = /^\$request\.header\.([\w-]+)$/.exec(String(source ?? '$request.header.Authorization'));
  if (!match)
    throw new StackError(`the authorizer ${authorizer} reads its token from ${source}`, 'read it from a header, as JWT authorizers do');
  return (match[1] as string).toLowerCase();
}

const SECONDS = { seconds: 1, minutes: 60, hours: 3600, days: 86_400 } as Record<string, number>;

export function httpApiSettings(described: DescribedService[]): HttpApiSettings {
  const authorizers = described.flatMap(({ template }) =>
    template.resources
      .filter((r) => r.type === 'AWS::ApiGatewayV2::Authorizer' && r.properties.AuthorizerType === 'JWT')
      .map((r): JwtAuthorizer => ({
        id: template.resolve({ Ref: r.logicalId }),
        issuer: String(r.properties.JwtConfiguration?.Issuer),
        audience: [r.properties.JwtConfiguration?.Audience ?? []].flat().map(String),
        header: headerOf(r.properties.IdentitySource, r.logicalId),
      })),
  );
  const clients = described.flatMap(({ template }) =>
    template.resources
      .filter((r) => r.type === 'AWS::Cognito::UserPoolClient')
      .map((r) => ({ id: template.resolve({ Ref: r.logicalId }), properties: r.properties })),
  );
  // Cognito's default: an access token lives one hour; AccessTokenValidity counts in hours unless its unit says otherwise.
  const client = clients.find((c) => authorizers[0]?.audience.includes(c.id))?.properties;
  const validity = client?.AccessTokenValidity;
  const unit = String(client?.TokenValidityUnits?.AccessToken ?? 'hours');
  return {
    authorizers,
    stage: resourcesOf(described, 'AWS::ApiGatewayV2::Stage')[0]?.properties ?? {},
    cors: resourcesOf(described, 'AWS::ApiGatewayV2::Api')[0]?.properties.CorsConfiguration,
    accessTokenSeconds: validity === undefined ? undefined : Number(validity) * (SECONDS[unit] ?? 3600),
  };
}

/** Who may call a route: undefined for a public one (`AuthorizationType` NONE or absent). */
export function routeAuthorization(
  route: { RouteKey: string; AuthorizationType?: string; AuthorizerId?: string; AuthorizationScopes?: string[] },
  authorizers: JwtAuthorizer[],
): RouteAuthorization | undefined {
  const type = route.AuthorizationType ?? 'NONE';
  if (type === 'NONE') return undefined;
  if (type !== 'JWT')
    throw new StackError(`the route ${route.RouteKey} uses ${type} authorization`, 'the local gateway checks JWT authorizers only');
  const authorizer = authorizers.find((a) => a.id === route.AuthorizerId);
  if (!authorizer)
    throw new StackError(
      `the route ${route.RouteKey} names the authorizer ${route.AuthorizerId}, which no packaged template declares`,
      'declare it as an AWS::ApiGatewayV2::Authorizer of the platform and pass its id as the httpApiAuthorizerId param',
    );
  return { authorizer, scopes: route.AuthorizationScopes ?? [] };
}
