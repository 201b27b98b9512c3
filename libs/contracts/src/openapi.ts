import { toJSONSchema } from 'zod/mini';
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
  404: 'Not found',
  409: 'Conflict',
  413: 'Payload too large',
  415: 'Unsupported media type',
  500: 'Internal error',
};

/** The problem answers of a route: its own, the body checks every route with a body makes (413, 415), and 500. */
const problemStatuses = (route: HttpRoute) => [...route.problems, ...(route.body ? [413, 415] : []), 500];

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
