import { Agent, request as httpRequest } from 'node:http';
import { tokenFor } from '../tokens';
import type { FuzzCase, RawRequest } from './requests';

export type Answer = { status: number; contentType: string | undefined; text: string } | { error: string };

const TIMEOUT_MS = 30_000;

/**
 * Sends a request exactly as given (method, path bytes, headers, body) and reads the answer.
 * A connection the server closes after answering (as it may after refusing a large body) still
 * counts as answered.
 */
function send(base: URL, agent: Agent, { method, path, headers, repeated = [], body }: RawRequest): Promise<Answer> {
  const named = { ...headers, ...(body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) }) };
  // Repeated names only go as raw lines, and those carry no Host unless it is among them.
  const lines = repeated.length ? [['host', base.host], ...Object.entries(named), ...repeated].flat() : undefined;
  return new Promise((resolve) => {
    let settled = false;
    const settle = (answer: Answer) => {
      if (!settled) resolve(answer);
      settled = true;
    };
    const outgoing = httpRequest(
      {
        host: base.hostname,
        port: base.port,
        method,
        path,
        agent,
        timeout: TIMEOUT_MS,
        headers: lines ?? named,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', (error) => settle({ error: `answer cut off: ${error.message}` }));
        response.on('end', () =>
          settle({
            status: response.statusCode ?? 0,
            contentType: response.headers['content-type'],
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer within ${TIMEOUT_MS / 1000} s`)));
    outgoing.on('error', (error) => settle({ error: error.message }));
    outgoing.end(body);
  });
}

/** The request with its caller's bearer token (minted once per caller), unless it is anonymous. */
async function withCredentials(base: string, { request, caller }: Pick<FuzzCase, 'request' | 'caller'>): Promise<RawRequest> {
  if (!caller) return request;
  const token = await tokenFor(base, caller.as, caller.flaw);
  return { ...request, headers: { authorization: `Bearer ${token}`, ...request.headers } };
}

/** Sends every case, `concurrency` at a time, and answers each case's answer by id. */
export async function sendAll(baseUrl: string, cases: FuzzCase[], concurrency: number): Promise<Map<number, Answer>> {
  const base = new URL(baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const answers = new Map<number, Answer>();
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < cases.length; index = next++) {
      const fuzzCase = cases[index] as FuzzCase;
      answers.set(fuzzCase.id, await send(base, agent, await withCredentials(baseUrl, fuzzCase)));
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    agent.destroy();
  }
  return answers;
}
