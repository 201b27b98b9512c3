import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ACCESS_REQUIREMENTS, HttpRoutes, openApiDocument } from '../src';

describe('the OpenAPI document', () => {
  it('matches docs/openapi.json (run `npm run openapi` after changing a route contract)', () => {
    const published = JSON.parse(readFileSync(join(import.meta.dirname, '../../../docs/openapi.json'), 'utf8'));

    expect(openApiDocument()).toEqual(published);
  });

  it('describes every route, its inputs and its problem answers', () => {
    const document = openApiDocument();
    const placeOrder = document.paths['/orders']?.post as {
      requestBody: unknown;
      parameters: { name: string }[];
      responses: Record<string, unknown>;
    };

    expect(Object.values(document.paths).flatMap((methods) => Object.keys(methods))).toHaveLength(Object.keys(HttpRoutes).length);
    expect(placeOrder.parameters.map((p) => p.name)).toEqual(['idempotency-key']);
    expect(Object.keys(placeOrder.responses).sort()).toEqual(['201', '400', '401', '403', '409', '413', '415', '500']);
    expect(placeOrder.responses['409']).toEqual({ $ref: '#/components/responses/Problem409' });
  });

  it("lists the bearer token scheme and each route's requirement: the scopes of its access, none for public routes", () => {
    const document = openApiDocument();

    expect(document.components.securitySchemes.cognitoAccessToken).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
    for (const route of Object.values(HttpRoutes)) {
      const operation = document.paths[route.template]?.[route.method.toLowerCase()] as { security: unknown; responses: object };
      const expected = route.access === 'public' ? [] : [{ cognitoAccessToken: ACCESS_REQUIREMENTS[route.access].scopes }];
      expect({ route: route.template, security: operation.security }).toEqual({ route: route.template, security: expected });
      if (route.access !== 'public') expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['401', '403']));
    }
    expect(document.paths['/products']?.get).toMatchObject({ security: [] });
  });

  it('describes the body checks only on routes that take a body', () => {
    const document = openApiDocument();
    const cancel = document.paths['/orders/{orderId}/cancel']?.post as { responses: Record<string, unknown> };
    const adjust = document.paths['/products/{sku}/stock-adjustments']?.post as { responses: Record<string, unknown> };

    expect(Object.keys(cancel.responses)).not.toContain('415');
    expect(adjust.responses['415']).toEqual({ $ref: '#/components/responses/Problem415' });
    expect(document.components.responses.Problem413?.description).toBe('Payload too large');
  });

  it('marks path parameters required and reads query defaults from the contract', () => {
    const listing = openApiDocument().paths['/customers/{customerId}/orders']?.get as {
      parameters: { name: string; in: string; required: boolean; schema: { default?: number } }[];
    };

    expect(listing.parameters).toEqual([
      expect.objectContaining({ name: 'customerId', in: 'path', required: true }),
      expect.objectContaining({ name: 'limit', in: 'query', required: false, schema: expect.objectContaining({ default: 20 }) }),
      expect.objectContaining({ name: 'cursor', in: 'query', required: false }),
    ]);
  });
});
