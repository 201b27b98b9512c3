import type { Caller } from '@storefront/contracts';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { aLambdaContext } from './lambda-context';
import { TEST_ACCOUNT, TEST_TIME } from './sequence';

export interface HttpApiRequest {
  method?: string;
  path?: string;
  /** Sent as given when a string, else as its JSON; no body when left out. */
  body?: unknown;
  /** With a body and no content-type among them, the request says `application/json`, as a JSON client does. */
  headers?: Record<string, string>;
  pathParameters?: Record<string, string>;
  queryStringParameters?: Record<string, string>;
  requestId?: string;
  /** Who calls: the verified claims API Gateway's JWT authorizer would hand over; none when left out. */
  as?: Identity;
}

/** A customer by id, or an admin (id `admin-1` unless given). */
export type Identity = { customer: string } | { admin: true; id?: string };

/** The caller a handler hands its domain for this identity. */
export function aCaller(identity: Identity): Caller {
  const { claims, scopes } = jwtAuthorizerContext(identity).jwt;
  return { id: claims.sub, groups: 'admin' in identity ? ['admins'] : ['customers'], scopes };
}

/**
 * The authorizer part of the request context for a verified Cognito access token, as API Gateway gives it:
 * every claim a string, an array claim written `[a b]`, the token's scopes listed beside the claims.
 */
export function jwtAuthorizerContext(identity: Identity) {
  const admin = 'admin' in identity;
  const sub = admin ? (identity.id ?? 'admin-1') : identity.customer;
  const groups = admin ? ['admins'] : ['customers'];
  const scopes = admin ? ['storefront/shop', 'storefront/admin'] : ['storefront/shop'];
  return {
    jwt: {
      claims: {
        sub,
        username: sub,
        'cognito:groups': `[${groups.join(' ')}]`,
        scope: scopes.join(' '),
        client_id: 'test-browser-client',
        token_use: 'access',
        iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_test',
        exp: String(Math.floor(Date.parse(TEST_TIME) / 1000) + 3600),
      },
      scopes,
    },
  };
}

/**
 * A request as the shared HTTP API hands it to a function (payload format 2.0). Like API Gateway, it
 * leaves out `body`, `pathParameters` and `queryStringParameters` when the request has none.
 */
export function anHttpApiEvent(request: HttpApiRequest = {}, overrides: Partial<APIGatewayProxyEventV2> = {}): APIGatewayProxyEventV2 {
  const {
    method = 'GET',
    path = '/',
    body,
    headers = {},
    pathParameters,
    queryStringParameters,
    requestId = 'api-request-1',
    as,
  } = request;
  const routeKey = `${method} ${path}`;
  const saysContentType = Object.keys(headers).some((name) => name.toLowerCase() === 'content-type');
  const sentHeaders = body === undefined || saysContentType ? headers : { 'content-type': 'application/json', ...headers };
  return {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString: new URLSearchParams(queryStringParameters).toString(),
    headers: sentHeaders,
    isBase64Encoded: false,
    requestContext: {
      accountId: TEST_ACCOUNT,
      apiId: 'test-api',
      domainName: 'test-api.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'test-api',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'storefront-tests' },
      requestId,
      routeKey,
      stage: '$default',
      time: TEST_TIME,
      timeEpoch: Date.parse(TEST_TIME),
      ...(as ? { authorizer: jwtAuthorizerContext(as) } : {}),
    },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    ...(pathParameters ? { pathParameters } : {}),
    ...(queryStringParameters ? { queryStringParameters } : {}),
    ...overrides,
  };
}

type HttpHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<unknown>;

/** Invokes an HTTP handler as the HTTP API would, and reads its answer: status, headers and the parsed JSON body. */
export async function callHttp(handler: HttpHandler, request: HttpApiRequest = {}) {
  const response = (await handler(anHttpApiEvent(request), aLambdaContext())) as APIGatewayProxyStructuredResultV2;
  return {
    status: response.statusCode,
    headers: response.headers ?? {},
    json: response.body ? JSON.parse(response.body) : undefined,
  };
}
