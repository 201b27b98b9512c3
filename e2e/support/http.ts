import { authorizationFor, type Identity } from './tokens';

// Response bodies are what the tests assert on, not what they trust: reading them loosely is the point.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

export interface JsonResponse<T = Json> {
  status: number;
  contentType: string | null;
  body: T;
}

export interface RequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
  /** Who calls: the identity's bearer token goes with the request. Without it the request is anonymous. */
  as?: Identity;
}

export async function request<T = Json>(
  base: string,
  method: string,
  path: string,
  options: RequestOptions = {},
): Promise<JsonResponse<T>> {
  const authorization = options.as ? await authorizationFor(base, options.as) : {};
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...authorization, ...options.headers },
    ...(options.body === undefined ? {} : { body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) }),
  });
  const text = await response.text();
  return { status: response.status, contentType: response.headers.get('content-type'), body: text ? JSON.parse(text) : undefined };
}

/** Polls until `check` returns a value (not undefined) or the time is up. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  { timeoutMs = 20_000, intervalMs = 200, what = 'condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export interface TrailEntry {
  kind: string;
  eventType?: string;
  queue?: string;
  topic?: string;
  service?: string;
  messageId?: string;
  correlationId?: string;
}
