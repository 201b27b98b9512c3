import { toJSONSchema } from 'zod/mini';
import { ACCESS_REQUIREMENTS } from './access';
import { HttpRoutes, type HttpRoute } from './http-routes';
import type { Schema } from './zod';

type JsonSchema = { properties?: Record<string, unknown>; required?: string[]; [key: string]: unknown };

const jsonSchema = (schema: Schema, io: 'input' | 'output'): JsonSchema => {
  const { $schema: _dialect, ...rest } = toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
};

const PROBLEM = {
  type: 'object',
  description: 'RFC 9457 problem details',
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    correlationId: { type: 'string' },
    errors: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } } },
  },
  required: ['type', 'title', 'status', 'detail'],
};

const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  400: 'Invalid request',
  401: 'No valid bearer token',
  403: "Not allowed: the token lacks the scope or group, or the data is another customer's",
  404: 'Not found',
  409: 'Conflict',
  413: 'Payload too large',
  415: 'Unsupported media type',
  500: 'Internal error',
};

/** What a route's access adds: 401 without a valid token, 403 without the scope (or, for admin routes, the group). */
const accessStatuses = (route: HttpRoute) => (route.access === 'public' ? [] : [401, 403]);

/** The problem answers of a route: its own, its access checks, the body checks of a route with a body (413, 415), and 500. */
const problemStatuses = (route: HttpRoute) =>
  [...new Set([...route.problems, ...accessStatuses(route), ...(route.body ? [413, 415] : []), 500])].sort();

const SECURITY_SCHEME = 'cognitoAccessToken';

/** Public routes need nothing; the others a bearer token with one of the scopes their access names. */
const security = (route: HttpRoute) => (route.access === 'public' ? [] : [{ [SECURITY_SCHEME]: ACCESS_REQUIREMENTS[route.access].scopes }]);

function parameters(route: HttpRoute) {
  const from = (schema: Schema | undefined, location: 'path' | 'query' | 'header') => {
    if (!schema) return [];
    const { properties = {}, required = [] } = jsonSchema(schema, 'input');
    return Object.entries(properties).map(([name, property]) => ({
      name,
      in: location,
      required: location === 'path' || required.includes(name),
      schema: property,
    }));
  };
  return [...from(route.path, 'path'), ...from(route.query, 'query'), ...from(route.headers, 'header')];
}

function operation(id: string, route: HttpRoute) {
  const responses: Record<string, unknown> = {};
  for (const [status, schema] of Object.entries(route.responses)) {
    responses[status] = {
      description: STATUS_TEXT[Number(status)] ?? status,
      ...(schema ? { content: { 'application/json': { schema: jsonSchema(schema, 'output') } } } : {}),
    };
  }
  for (const status of problemStatuses(route)) responses[String(status)] = { $ref: `#/components/responses/Problem${status}` };
  const params = parameters(route);
  return {
    operationId: id,
    summary: route.summary,
    tags: [route.service],
    security: security(route),
    ...(params.length ? { parameters: params } : {}),
    ...(route.body
      ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(route.body, 'input') } } } }
      : {}),
    responses,
  };
}

/** The OpenAPI 3.1 description of the shared HTTP API, built from the same schemas the handlers validate with. */
export function openApiDocument(routes: Record<string, HttpRoute> = HttpRoutes) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [id, route] of Object.entries(routes)) (paths[route.template] ??= {})[route.method.toLowerCase()] = operation(id, route);
  const statuses = [...new Set(Object.values(routes).flatMap(problemStatuses))].sort();
  return {
    openapi: '3.1.0',
    info: {
      title: 'Storefront API',
      version: '1',
      description:
        'Every service of the storefront behind one HTTP API. Errors are application/problem+json; send x-correlation-id to follow a request across services.',
    },
    paths,
    components: {
      securitySchemes: {
        [SECURITY_SCHEME]: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            "An access token of the platform's Cognito user pool (its browser client). The API checks signature, issuer, client, expiry and that the token carries one of the operation's scopes (storefront/shop, storefront/admin); admin operations also require the admins group. The customer is the token's subject.",
        },
      },
      schemas: { Problem: PROBLEM },
      responses: Object.fromEntries(
        statuses.map((status) => [
          `Problem${status}`,
          {
            description: STATUS_TEXT[status] ?? String(status),
            content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
          },
        ]),
      ),
    },
  };
}
