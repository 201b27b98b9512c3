import fc from 'fast-check';
import { HttpRoutes, type HttpRoute } from '@storefront/contracts';
import { JSON_TYPE } from './requests';
import { always, draft, type Kind } from './kind';
import type { RouteContext } from './route-context';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

const templatePattern = (template: string) => new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);

/** Methods some route of the contract serves at this concrete path. */
function servedAt(path: string): Set<string> {
  const routes = Object.values(HttpRoutes as Record<string, HttpRoute>);
  return new Set(routes.filter((route) => templatePattern(route.template).test(path)).map((route) => route.method));
}

/** A method nothing serves here, with the route's own valid body: 404 or 405, and nothing stored. */
const unservedMethod: Kind = {
  name: 'method: not served at this path',
  count: 10,
  appliesTo: always,
  draw: (context: RouteContext) => {
    const path = context.path();
    const served = servedAt(path);
    const body = context.validBody === undefined ? undefined : JSON.stringify(context.validBody);
    return fc
      .tuple(
        fc.constantFrom(...METHODS.filter((method) => !served.has(method))),
        fc.constantFrom(...(body === undefined ? [undefined] : [body, undefined])),
      )
      .map(([method, sent]) =>
        draft(
          unservedMethod.name,
          { method, path, headers: sent === undefined ? {} : JSON_TYPE, ...(sent === undefined ? {} : { body: sent }) },
          // A preflight may be answered once CORS is configured; it must still not act.
          { statuses: method === 'OPTIONS' ? [200, 204, 404, 405] : [404, 405] },
        ),
      );
  },
};

export const methodKinds: Kind[] = [unservedMethod];
