/**
 * The request a function sees under serverless-offline, as the HTTP API would hand it over. offline builds each
 * payload 2.0 event from the request it received (LambdaProxyIntegrationEventV2.create, in
 * src/events/http/lambda-events/ of serverless-offline 14.8.2) and adds to it: `content-type: application/json`
 * on any body sent without one (even an empty one), its own authorizer header, the same request id for every
 * request. The local stack's gateway sends offline the request as the client sent it, in a header of its own
 * (JSON, see RequestAsSent); once offline has built the event, its headers, cookies and request id are replaced
 * by those, so the function reads exactly what the client sent, on every route.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Set by the local stack: the name of the header its gateway sends each request as sent in. */
export const REQUESTS_AS_SENT_VARIABLE = 'STOREFRONT_REQUEST_AS_SENT_HEADER';

/** What the gateway sends (tools/local-cloud/src/gateway/request-as-sent.ts). */
export interface RequestAsSent {
  headers: Record<string, string>;
  cookies?: string[];
  requestId: string;
}

/** What of offline's payload 2.0 event this changes. */
export interface HttpApiEvent {
  headers?: Record<string, string>;
  cookies?: string[];
  requestContext?: { requestId?: string; http?: { userAgent?: string } };
}

/** The event with the request as sent in place of what offline made of it; an event without the header is left alone. */
export function eventAsSent<E extends HttpApiEvent>(event: E, header: string): E {
  const carried = event.headers?.[header];
  if (carried === undefined) return event;
  const sent = JSON.parse(carried) as RequestAsSent;
  const { cookies: _offlines, ...rest } = event;
  const http = { ...event.requestContext?.http, userAgent: sent.headers['user-agent'] ?? '' };
  return {
    ...rest,
    headers: sent.headers,
    // API Gateway leaves the field out when the request has no cookie.
    ...(sent.cookies ? { cookies: sent.cookies } : {}),
    requestContext: { ...event.requestContext, requestId: sent.requestId, http },
  } as E;
}

interface EventBuilder {
  prototype: { create(this: unknown): HttpApiEvent };
}

const PATCHED = Symbol.for('storefront.requestsAsSent');

/** Makes every event the builder creates carry the request as sent; patching twice changes nothing more. */
export function buildEventsAsSent(builder: EventBuilder, header: string): void {
  const prototype = builder.prototype as EventBuilder['prototype'] & { [PATCHED]?: true };
  if (typeof prototype.create !== 'function') throw new Error('the HTTP API event builder has no create()');
  if (prototype[PATCHED]) return;
  const create = prototype.create;
  prototype.create = function createAsSent(this: unknown) {
    return eventAsSent(create.call(this), header);
  };
  prototype[PATCHED] = true;
}

/** Where serverless-offline keeps its payload 2.0 event builder, relative to its entry point (src/index.js). */
const EVENT_BUILDER = 'events/http/lambda-events/LambdaProxyIntegrationEventV2.js';

/**
 * Patches the event builder of the serverless-offline a service loads (resolved from its folder, as the framework
 * resolves plugins): the same module instance offline's HTTP server uses, since Node loads a module once per file.
 */
export async function keepRequestsAsSent(serviceDir: string, header: string): Promise<void> {
  const entry = createRequire(join(serviceDir, 'package.json')).resolve('serverless-offline');
  const { default: builder } = (await import(pathToFileURL(join(dirname(entry), EVENT_BUILDER)).href)) as { default: EventBuilder };
  buildEventsAsSent(builder, header);
}
