/**
 * CORS as API Gateway answers it for an HTTP API with a `CorsConfiguration`
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-cors.html): it answers a preflight
 * (`OPTIONS` with `Origin` and `Access-Control-Request-Method`) itself, whatever routes exist and without
 * authorization, and adds the configured headers to every answer to a request from an allowed origin; CORS headers
 * a function returns are ignored.
 */

/** An `AWS::ApiGatewayV2::Api`'s `CorsConfiguration`, resolved. */
export interface CorsConfiguration {
  AllowOrigins?: string[];
  AllowMethods?: string[];
  AllowHeaders?: string[];
  ExposeHeaders?: string[];
  MaxAge?: number | string;
  AllowCredentials?: boolean;
}

type Headers = Record<string, string | string[] | undefined>;

const header = (headers: Headers, name: string) => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** `*`, an exact origin, or one with a wildcard (`https://*.example.com`). */
function originMatcher(pattern: string): (origin: string) => boolean {
  if (pattern === '*') return () => true;
  const regex = new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`, 'i');
  return (origin) => regex.test(origin);
}

export class CorsPolicy {
  #config: CorsConfiguration;
  #origins: ((origin: string) => boolean)[];

  constructor(config: CorsConfiguration) {
    this.#config = config;
    this.#origins = (config.AllowOrigins ?? []).map(originMatcher);
  }

  isPreflight(method: string | undefined, headers: Headers): boolean {
    return method === 'OPTIONS' && Boolean(header(headers, 'origin')) && Boolean(header(headers, 'access-control-request-method'));
  }

  #allowOrigin(origin: string | undefined): string | undefined {
    if (!origin || !this.#origins.some((allowed) => allowed(origin))) return undefined;
    return (this.#config.AllowOrigins ?? []).includes('*') && !this.#config.AllowCredentials ? '*' : origin;
  }

  /** The headers of an answer to a request (any but a preflight): none unless its origin is allowed. */
  responseHeaders(headers: Headers): Record<string, string> {
    const allowed = this.#allowOrigin(header(headers, 'origin'));
    if (!allowed) return {};
    return {
      'access-control-allow-origin': allowed,
      ...(allowed === '*' ? {} : { vary: 'origin' }),
      ...(this.#config.AllowCredentials ? { 'access-control-allow-credentials': 'true' } : {}),
      ...(this.#config.ExposeHeaders?.length ? { 'access-control-expose-headers': this.#config.ExposeHeaders.join(',') } : {}),
    };
  }

  /** The headers of a preflight's 204: the configuration for an allowed origin, none for another (the browser then refuses). */
  preflightHeaders(headers: Headers): Record<string, string> {
    const allowed = this.#allowOrigin(header(headers, 'origin'));
    if (!allowed) return {};
    const echoOrList = (list: string[] | undefined, requested: string | undefined) =>
      list?.includes('*') ? (requested ?? '*') : (list ?? []).join(',');
    const methods = echoOrList(this.#config.AllowMethods, header(headers, 'access-control-request-method'));
    const allowHeaders = echoOrList(this.#config.AllowHeaders, header(headers, 'access-control-request-headers'));
    return {
      'access-control-allow-origin': allowed,
      ...(allowed === '*' ? {} : { vary: 'origin' }),
      ...(this.#config.AllowCredentials ? { 'access-control-allow-credentials': 'true' } : {}),
      ...(methods ? { 'access-control-allow-methods': methods } : {}),
      ...(allowHeaders ? { 'access-control-allow-headers': allowHeaders } : {}),
      ...(this.#config.MaxAge !== undefined ? { 'access-control-max-age': String(this.#config.MaxAge) } : {}),
    };
  }
}
