import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { ValidationError } from '@storefront/errors';
import { notJsonBecause } from './media-type';
import type { Problem } from './problem';

/**
 * The largest body a route accepts unless it says otherwise: every request of
 * this API is a small JSON document, so anything near this size is a mistake
 * or an attack, and is refused before a byte of it is parsed.
 */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

type RawHeaders = Record<string, string | undefined>;

const hasBody = (event: APIGatewayProxyEventV2) => event.body !== undefined && event.body !== null && event.body !== '';

function bodyBytes(event: APIGatewayProxyEventV2): number {
  return Buffer.byteLength(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
}

/** What refusedBody needs to know of the route: its body limit, and whether it reads a body at all. */
export interface BodyRules {
  maxBytes: number;
  /** A route with a body schema: its requests must say they carry JSON, even when they carry nothing. */
  takesBody: boolean;
}

/**
 * Why a request's body is refused before it is read, or undefined when it may be read: 413 when it is too
 * large, 415 when it does not come as JSON. A route that takes a body reads only a well-formed JSON content
 * type (see notJsonBecause): none, an empty one, a list or anything malformed is a 415, so only a request that
 * says it sends JSON can be answered 400 for what it sent. On any other route a body is checked the same way,
 * and a request without one is left alone whatever it says.
 */
export function refusedBody(event: APIGatewayProxyEventV2, headers: RawHeaders, { maxBytes, takesBody }: BodyRules): Problem | undefined {
  if (!takesBody && !hasBody(event)) return undefined;
  const bytes = bodyBytes(event);
  if (bytes > maxBytes) {
    return {
      type: 'urn:storefront:problem:payload-too-large',
      title: 'Payload too large',
      status: 413,
      detail: `The request body is ${bytes} bytes; this route accepts at most ${maxBytes}`,
    };
  }
  const notJson = notJsonBecause(headers['content-type']);
  if (notJson) {
    return {
      type: 'urn:storefront:problem:unsupported-media-type',
      title: 'Unsupported media type',
      status: 415,
      detail: `The request body must be JSON (content-type application/json); ${notJson}`,
    };
  }
  return undefined;
}

export function readJsonBody(event: APIGatewayProxyEventV2): unknown {
  if (!hasBody(event)) return undefined;
  const text = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : (event.body ?? '');
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new ValidationError('The request body is not valid JSON', [{ path: 'body', message: 'must be JSON' }], { cause });
  }
}
