import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';

export const lambdaContext = { functionName: 'orders-test', awsRequestId: 'request-1', getRemainingTimeInMillis: () => 10_000 } as Context;

type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<unknown>;

export interface HttpCall {
  body?: unknown;
  headers?: Record<string, string>;
  pathParameters?: Record<string, string>;
  queryStringParameters?: Record<string, string>;
}

/** Invokes an HTTP handler as API Gateway (HTTP API, payload v2) would; a body goes as JSON unless the call names another type. */
export async function callHttp(handler: Handler, call: HttpCall = {}) {
  const event = {
    version: '2.0',
    routeKey: 'test',
    rawPath: '/',
    rawQueryString: '',
    headers: { ...(call.body === undefined ? {} : { 'content-type': 'application/json' }), ...call.headers },
    isBase64Encoded: false,
    requestContext: { requestId: 'api-request-1' },
    ...(call.body === undefined ? {} : { body: typeof call.body === 'string' ? call.body : JSON.stringify(call.body) }),
    ...(call.pathParameters ? { pathParameters: call.pathParameters } : {}),
    ...(call.queryStringParameters ? { queryStringParameters: call.queryStringParameters } : {}),
  } as unknown as APIGatewayProxyEventV2;
  const response = (await handler(event, lambdaContext)) as APIGatewayProxyStructuredResultV2;
  return { status: response.statusCode, headers: response.headers ?? {}, json: response.body ? JSON.parse(response.body) : undefined };
}
