import { CorsPolicy } from '../src/gateway/cors.ts';

const BROWSER = 'http://localhost:3000';
const policy = new CorsPolicy({
  AllowOrigins: [BROWSER, 'https://*.storefront.example'],
  AllowMethods: ['GET', 'POST', 'PUT'],
  AllowHeaders: ['authorization', 'content-type'],
  ExposeHeaders: ['location', 'x-correlation-id'],
  MaxAge: 600,
});
const preflight = (origin: string) => ({
  origin,
  'access-control-request-method': 'POST',
  'access-control-request-headers': 'authorization',
});

describe('CORS as the HTTP API answers it', () => {
  it('tells a preflight (OPTIONS with Origin and Access-Control-Request-Method) from any other request', () => {
    expect(policy.isPreflight('OPTIONS', preflight(BROWSER))).toBe(true);
    expect(policy.isPreflight('OPTIONS', { origin: BROWSER })).toBe(false);
    expect(policy.isPreflight('OPTIONS', {})).toBe(false);
    expect(policy.isPreflight('POST', preflight(BROWSER))).toBe(false);
  });

  it('answers a preflight from an allowed origin with the configured methods, headers and max age', () => {
    expect(policy.preflightHeaders(preflight(BROWSER))).toEqual({
      'access-control-allow-origin': BROWSER,
      'access-control-allow-methods': 'GET,POST,PUT',
      'access-control-allow-headers': 'authorization,content-type',
      'access-control-max-age': '600',
      vary: 'origin',
    });
  });

  it('adds the allowed origin and the exposed headers to the answers to an allowed origin', () => {
    expect(policy.responseHeaders({ origin: 'https://shop.storefront.example' })).toEqual({
      'access-control-allow-origin': 'https://shop.storefront.example',
      'access-control-expose-headers': 'location,x-correlation-id',
      vary: 'origin',
    });
  });

  it('adds nothing for another origin or a request without one', () => {
    expect(policy.preflightHeaders(preflight('https://evil.example'))).toEqual({});
    expect(policy.responseHeaders({ origin: 'https://evil.example' })).toEqual({});
    expect(policy.responseHeaders({ origin: 'https://storefront.example.evil.example' })).toEqual({});
    expect(policy.responseHeaders({})).toEqual({});
  });

  it('answers "*" to any origin where every origin is allowed, and echoes what a preflight asks for under "*"', () => {
    const open = new CorsPolicy({ AllowOrigins: ['*'], AllowMethods: ['*'], AllowHeaders: ['*'] });

    expect(open.preflightHeaders(preflight('https://anyone.example'))).toEqual({
      'access-control-allow-origin': '*',
      'access-control-allow-methods': 'POST',
      'access-control-allow-headers': 'authorization',
    });
  });
});
