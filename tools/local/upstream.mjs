/** The gateway's two sides of a request: the client's body, and the call to the service's serverless-offline. */
import { once } from 'node:events';
import { Agent, request as httpRequest } from 'node:http';

/**
 * Reads a request body of at most `limit` bytes. A larger one is still read to
 * its end (and dropped), so the answer comes after the whole request and the
 * client's keep-alive connection stays usable for its next request.
 */
export async function readBody(request, limit) {
  const chunks = [];
  let bytes = 0;
  for await (const chunk of request) {
    bytes += chunk.length;
    if (bytes <= limit) chunks.push(chunk);
    else chunks.length = 0;
  }
  return bytes > limit ? { tooLarge: true, bytes } : { body: Buffer.concat(chunks), bytes };
}

/** Drops whatever the client still sends, before it is answered without being read. */
export async function discardBody(request) {
  if (request.readableEnded) return;
  request.resume();
  await once(request, 'end');
}

export class UpstreamError extends Error {
  constructor(message, { timedOut = false, cause } = {}) {
    super(message, { cause });
    this.name = 'UpstreamError';
    this.timedOut = timedOut;
  }
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'expect', 'proxy-connection']);

export function endToEndHeaders(headers) {
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
export function bodyForOffline(headers, body) {
  if (!JSON_MEDIA_TYPE.test(String(headers['content-type'] ?? ''))) return body;
  let parsed;
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
export function callUpstream({ port, method, path, headers, body: received, timeoutMs }) {
  const forwarded = endToEndHeaders(headers);
  const body = bodyForOffline(forwarded, received);
  delete forwarded['content-length'];
  if (body.length || !['GET', 'HEAD'].includes(method)) forwarded['content-length'] = String(body.length);
  return new Promise((resolve, reject) => {
    let timer;
    const fail = (cause) => {
      clearTimeout(timer);
      reject(cause instanceof UpstreamError ? cause : new UpstreamError(cause.message, { cause }));
    };
    const upstream = httpRequest({ host: '127.0.0.1', port, method, path, agent, headers: forwarded }, (reply) => {
      const chunks = [];
      reply.on('data', (chunk) => chunks.push(chunk));
      reply.on('error', fail);
      reply.on('end', () => {
        clearTimeout(timer);
        resolve({ status: reply.statusCode ?? 502, headers: reply.headers, body: Buffer.concat(chunks) });
      });
    });
    timer = setTimeout(() => upstream.destroy(new UpstreamError(`no answer within ${timeoutMs} ms`, { timedOut: true })), timeoutMs);
    upstream.on('error', fail);
    upstream.end(body);
  });
}
