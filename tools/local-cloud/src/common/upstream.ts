/** The gateway's two sides of a request: the client's body, and the call to the service's serverless-offline. */
import { once } from 'node:events';
import { Agent, type IncomingHttpHeaders, type IncomingMessage, request as httpRequest } from 'node:http';

/**
 * Reads a request body of at most `limit` bytes. A larger one is still read to
 * its end (and dropped), so the answer comes after the whole request and the
 * client's keep-alive connection stays usable for its next request.
 */
export async function readBody(
  request: AsyncIterable<Buffer>,
  limit: number,
): Promise<{ tooLarge: true; bytes: number; body?: undefined } | { tooLarge?: undefined; body: Buffer; bytes: number }> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of request) {
    bytes += chunk.length;
    if (bytes <= limit) chunks.push(chunk);
    else chunks.length = 0;
  }
  return bytes > limit ? { tooLarge: true as const, bytes } : { body: Buffer.concat(chunks), bytes };
}

/** Drops whatever the client still sends, before it is answered without being read. */
export async function discardBody(request: IncomingMessage): Promise<void> {
  if (request.readableEnded) return;
  request.resume();
  await once(request, 'end');
}

export class UpstreamError extends Error {
  readonly timedOut: boolean;

  constructor(message: string, { timedOut = false, cause }: { timedOut?: boolean; cause?: unknown } = {}) {
    super(message, { cause });
    this.name = 'UpstreamError';
    this.timedOut = timedOut;
  }
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'expect', 'proxy-connection']);

export function endToEndHeaders<V>(headers: Record<string, V>): Record<string, V> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name.toLowerCase())));
}

const JSON_MEDIA_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/**
 * The body as serverless-offline must receive it for the function to see the bytes the client sent, as on AWS.
 * offline parses a JSON body and, unless the parsed value is an object or array, hands the function that value
 * instead of the raw text: `"{\"a\":1}"` arrives as `{"a":1}`, and `false` or `0` as a boolean or number (which no
 * Lambda ever receives). Sending such a body as a JSON string of its raw text makes offline's parse yield the raw
 * text again.
 */
export function bodyForOffline(headers: Record<string, unknown>, body: Buffer): Buffer {
  if (!JSON_MEDIA_TYPE.test(String(headers['content-type'] ?? ''))) return body;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return body;
  }
  return typeof parsed === 'object' && parsed !== null ? body : Buffer.from(JSON.stringify(body.toString('utf8')), 'utf8');
}

// A fresh connection per call: a kept-alive one can be closed by offline's idle timer just as a request is
// written to it, which would surface as a spurious 502. On loopback a connection costs well under a millisecond.
const agent = new Agent({ keepAlive: false });

/**
 * Sends a fully read request to a service and reads its whole answer. Rejects
 * with UpstreamError when the service does not answer, or not within
 * `timeoutMs` (the integration's timeout, as on the HTTP API).
 */
export interface UpstreamRequest {
  port: number;
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  timeoutMs: number;
}

export interface UpstreamReply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export function callUpstream({ port, method, path, headers, body: received, timeoutMs }: UpstreamRequest): Promise<UpstreamReply> {
  const forwarded: IncomingHttpHeaders = endToEndHeaders(headers);
  const body = bodyForOffline(forwarded, received);
  delete forwarded['content-length'];
  if (body.length || !['GET', 'HEAD'].includes(method)) forwarded['content-length'] = String(body.length);
  return new Promise((resolve, reject) => {
    const fail = (cause: Error) => {
      clearTimeout(timer);
      reject(cause instanceof UpstreamError ? cause : new UpstreamError(cause.message, { cause }));
    };
    const upstream = httpRequest({ host: '127.0.0.1', port, method, path, agent, headers: forwarded }, (reply) => {
      const chunks: Buffer[] = [];
      reply.on('data', (chunk: Buffer) => chunks.push(chunk));
      reply.on('error', fail);
      reply.on('end', () => {
        clearTimeout(timer);
        resolve({ status: reply.statusCode ?? 502, headers: reply.headers, body: Buffer.concat(chunks) });
      });
    });
    // Declared after the request: its callbacks run only once it is under way, when the timer exists.
    const timer = setTimeout(() => upstream.destroy(new UpstreamError(`no answer within ${timeoutMs} ms`, { timedOut: true })), timeoutMs);
    upstream.on('error', fail);
    upstream.end(body);
  });
}
