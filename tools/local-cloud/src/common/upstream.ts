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

export function callUpstream({ port, method, path, headers, body, timeoutMs }: UpstreamRequest): Promise<UpstreamReply> {
  const forwarded: IncomingHttpHeaders = endToEndHeaders(headers);
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
