/**
 * What a function must see of a request: its headers as the client sent them, as the HTTP API passes them on
 * (payload format 2.0). serverless-offline cannot be told them through the request it serves: it reads the
 * content type itself (hapi answers a malformed one with its own 400 before any function runs) and builds the
 * event's headers from what it received, adding `content-type: application/json` to any body sent without one
 * (LambdaProxyIntegrationEventV2.create, src/events/http/lambda-events/ in serverless-offline 14.8.2). So the
 * gateway sends offline only what offline needs to route and read the body, and hands the request as sent in one
 * header of its own, which the base config's offline-references plugin puts in the event in place of offline's.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { endToEndHeaders } from '../common/upstream.ts';

/** Carries the request as sent (JSON of RequestAsSent) from the gateway to the event offline builds. */
export const REQUEST_AS_SENT_HEADER = 'storefront-request-as-sent';

/**
 * serverless-offline puts this request header's JSON in the event as `requestContext.authorizer`. The gateway
 * always sets it (the verified claims, or `{}` on a public route), so no client can hand a function claims of its own.
 */
export const AUTHORIZER_OVERRIDE_HEADER = 'sls-offline-authorizer-override';

/** The parts of a payload 2.0 event that come from the request itself rather than from serverless-offline. */
export interface RequestAsSent {
  /** Names lower-cased, a header sent more than once as its values joined with commas; no cookie and no hop-by-hop header. */
  headers: Record<string, string>;
  /** Each cookie of the request's cookie headers, when it sent any. */
  cookies?: string[];
  /** API Gateway's id of the request (`requestContext.requestId`). */
  requestId: string;
}

/**
 * The request as the HTTP API hands it to a function: from the raw header lines (Node's parsed headers keep only
 * the first of some repeated headers, content-type among them, and join others with ", "), names lower-cased,
 * repeated headers joined with commas, cookies in a field of their own.
 */
export function requestAsSent(rawHeaders: readonly string[], requestId: string): RequestAsSent {
  const joined = new Map<string, string[]>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] as string).toLowerCase();
    joined.set(name, [...(joined.get(name) ?? []), rawHeaders[i + 1] as string]);
  }
  const cookies = (joined.get('cookie') ?? []).flatMap((line) => line.split(';').map((cookie) => cookie.trim())).filter(Boolean);
  joined.delete('cookie');
  const headers = endToEndHeaders(Object.fromEntries([...joined].map(([name, values]) => [name, values.join(',')])));
  return { headers, ...(cookies.length ? { cookies } : {}), requestId };
}

/** JSON in printable ASCII: a header value cannot carry every character a client's header may hold (DEL, say). */
const asciiJson = (value: unknown) =>
  JSON.stringify(value).replace(/[\u007f-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);

// serverless-offline base64-encodes the body (isBase64Encoded) when the content type names one of these.
const READ_AS_BINARY = /application\/octet-stream|multipart\/form-data/;

/**
 * The headers serverless-offline receives instead of the client's: the request as sent, the verified claims, and a
 * content type of the gateway's that tells offline only how to read the body. hapi refuses a malformed content type
 * with its own 400, and takes a request without one for JSON (its default); offline then parses a JSON body and hands
 * the function the parsed value instead of the bytes sent (`false` as a boolean, `"{…}"` as an object). Told
 * `text/plain`, it reads any body as UTF-8 text, as is; told `application/octet-stream`, as bytes, base64-encoded.
 */
export function headersForOffline(sent: RequestAsSent, authorizer: object): IncomingHttpHeaders {
  const binary = READ_AS_BINARY.test(sent.headers['content-type'] ?? '');
  return {
    [REQUEST_AS_SENT_HEADER]: asciiJson(sent),
    [AUTHORIZER_OVERRIDE_HEADER]: JSON.stringify(authorizer),
    'content-type': binary ? 'application/octet-stream' : 'text/plain',
  };
}
