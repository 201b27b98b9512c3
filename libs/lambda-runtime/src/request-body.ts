import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { ValidationError } from '@storefront/errors';
import type { Problem } from './problem';

/**
 * The largest body a route accepts unless it says otherwise: every request of
 * this API is a small JSON document, so anything near this size is a mistake
 * or an attack, and is refused before a byte of it is parsed.
 */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

type RawHeaders = Record<string, string | undefined>;

const hasBody = (event: APIGatewayProxyEventV2) => event.body !== undefined && event.body !== null && event.body !== '';

/** application/json or application/<anything>+json, in UTF-8 (the only charset JSON may be exchanged in, RFC 8259). */
export function isJsonContentType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const [mediaType = '', ...parameters] = contentType.split(';').map((part) => part.trim().toLowerCase());
  if (mediaType !== 'application/json' && !/^application\/[^\s/]+\+json$/.test(mediaType)) return false;
  const charset = parameters.find((p) => p.startsWith('charset='))?.slice('charset='.length);
  return charset === undefined || ['utf-8', 'utf8'].includes(charset.replace(/^"|"$/g, ''));
}

function bodyBytes(event: APIGatewayProxyEventV2): number {
  return Buffer.byteLength(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
}

/** Why a request's body is refused before it is read (413 too large, 415 not JSON), or undefined when it may be read. */
export function refusedBody(event: APIGatewayProxyEventV2, headers: RawHeaders, maxBytes: number): Problem | undefined {
  if (!hasBody(event)) return undefined;
  const bytes = bodyBytes(event);
  if (bytes > maxBytes) {
    return {
      type: 'urn:storefront:problem:payload-too-large',
      title: 'Payload too large',
      status: 413,
      detail: `The request body is ${bytes} bytes; this route accepts at most ${maxBytes}`,
    };
  }
  const contentType = headers['content-type'];
  if (!isJsonContentType(contentType)) {
    return {
      type: 'urn:storefront:problem:unsupported-media-type',
      title: 'Unsupported media type',
      status: 415,
      detail: `The request body must be JSON (content-type application/json); it was sent as ${contentType ?? 'no content type'}`,
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
