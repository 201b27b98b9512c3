/**
 * The local payment provider: an HTTP server speaking the subset of Stripe's API the payments service uses
 * (form-encoded bodies, `Authorization: Bearer <key>`, `Idempotency-Key`, Stripe's test payment methods and
 * error shapes), so the service talks to it exactly as it talks to Stripe; the payments service's
 * `paymentProviderUrl` param points it here. It accepts one key, the one the local secret holds.
 * Stripe endpoints: POST /v1/payment_intents, GET /v1/payment_intents/{id}, POST /v1/payment_intents/{id}/confirm,
 * POST /v1/payment_intents/{id}/cancel, POST /v1/refunds.
 * Local-only routes: GET /_local/ledger (every PaymentIntent and refund, by order, and the faults injected) and
 * POST /_local/faults {"rate": 0.3, "seed"?: n, "calls"?: ["confirm"], "kinds"?: [...]} (see payment-faults.ts).
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { type Fault, type FaultSettings, PaymentFaults, type ProviderCall } from './payment-faults.ts';
import { LOCAL_PAYMENT_PROVIDER_KEY, PaymentLedger, type StripeAnswer, stripeError, stripeId } from './payment-ledger.ts';
import { readBody } from '../../common/upstream.ts';

/** The secret the payments service reads its key from, and the value the local stack gives it. */
export const PAYMENT_PROVIDER_SECRET = {
  name: 'storefront/local/payment-provider',
  value: JSON.stringify({ apiKey: LOCAL_PAYMENT_PROVIDER_KEY }),
};

/** How long a call that "times out" hangs: well past any caller's timeout (the payments service's default is 5 s). */
export const DEFAULT_HANG_MS = 30_000;

const MAX_BODY_BYTES = 1024 * 1024;

export interface PaymentProviderOptions {
  port: number;
  apiKey?: string;
  faultRate?: number;
  seed?: number;
  hangMs?: number;
}

export interface LocalPaymentProvider {
  url: string;
  ledger: PaymentLedger;
  faults: PaymentFaults;
  /** Requests each Stripe call received since the start, faulted ones included: how hard the callers retry. */
  calls: Partial<Record<ProviderCall, number>>;
  close: () => Promise<void>;
}

function send(response: ServerResponse, { status, body }: StripeAnswer, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'request-id': stripeId('req'),
    ...headers,
  });
  response.end(text);
}

/** Stripe's own way of showing a key it refuses: its start and its last four characters. */
const masked = (key: string) => `${key.slice(0, 8)}${'*'.repeat(Math.max(key.length - 12, 0))}${key.slice(-4)}`;

/** The key the request carries, as Bearer or as Basic auth's user name (Stripe takes both). */
function keyOf(request: IncomingMessage): string | undefined {
  const [scheme = '', credentials = ''] = String(request.headers.authorization ?? '').split(' ');
  if (scheme.toLowerCase() === 'bearer') return credentials;
  if (scheme.toLowerCase() === 'basic') return Buffer.from(credentials, 'base64').toString('utf8').split(':')[0];
  return undefined;
}

function authProblem(request: IncomingMessage, apiKey: string): StripeAnswer | undefined {
  const key = keyOf(request);
  if (!key)
    return stripeError(401, {
      type: 'invalid_request_error',
      message:
        "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
    });
  if (key !== apiKey)
    return stripeError(401, {
      type: 'invalid_request_error',
      code: 'api_key_invalid',
      message: `Invalid API Key provided: ${masked(key)}`,
    });
  return undefined;
}

/** Waits as a provider that stopped answering: until the caller gives up (closes), the hang ends, or the server stops. */
function hang(request: IncomingMessage, ms: number, stopping: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      stopping.removeEventListener('abort', done);
      request.socket.destroy();
      resolve();
    };
    const timer = setTimeout(done, ms);
    request.socket.once('close', done);
    stopping.addEventListener('abort', done, { once: true });
  });
}

/** A Stripe endpoint: which call it is (faults can be limited to some) and how the ledger runs it under the request's idempotency key. */
interface StripeRoute {
  call: ProviderCall;
  run: (ledger: PaymentLedger, params: URLSearchParams, idempotencyKey: string | undefined) => ReturnType<PaymentLedger['idempotent']>;
}

const PAYMENT_INTENT_PATH = /^\/v1\/payment_intents\/([\w-]+)(?:\/(confirm|cancel))?$/;

/** The Stripe endpoint a request is for; undefined for a path or method Stripe does not serve. */
function stripeRoute(method: string, path: string): StripeRoute | undefined {
  const idempotent = (call: ProviderCall, operation: (ledger: PaymentLedger, params: URLSearchParams) => StripeAnswer): StripeRoute => ({
    call,
    run: (ledger, params, key) => ledger.idempotent(key, path, params, () => operation(ledger, params)),
  });
  if (method === 'POST' && path === '/v1/payment_intents')
    return idempotent('create', (ledger, params) => ledger.createPaymentIntent(params));
  if (method === 'POST' && path === '/v1/refunds') return idempotent('refund', (ledger, params) => ledger.createRefund(params));
  const [, id = '', action] = PAYMENT_INTENT_PATH.exec(path) ?? [];
  if (!id) return undefined;
  if (method === 'GET' && !action) return { call: 'retrieve', run: (ledger) => ({ answer: ledger.getPaymentIntent(id), replayed: false }) };
  if (method === 'POST' && action === 'confirm') return idempotent('confirm', (ledger, params) => ledger.confirmPaymentIntent(id, params));
  if (method === 'POST' && action === 'cancel') return idempotent('cancel', (ledger, params) => ledger.cancelPaymentIntent(id, params));
  return undefined;
}

async function serveLocal(request: IncomingMessage, response: ServerResponse, path: string, provider: LocalPaymentProvider) {
  if (request.method === 'GET' && path === '/_local/ledger')
    return send(response, {
      status: 200,
      body: {
        orders: provider.ledger.byOrder(),
        faults: { ...provider.faults.settings, injected: provider.faults.injected },
        calls: provider.calls,
      },
    });
  if (request.method === 'POST' && path === '/_local/faults') {
    const { body } = await readBody(request, MAX_BODY_BYTES);
    try {
      provider.faults.configure(JSON.parse(body?.toString('utf8') || '{}') as FaultSettings);
      return send(response, { status: 200, body: provider.faults.settings });
    } catch (error) {
      return send(response, { status: 400, body: { error: { type: 'invalid_request_error', message: (error as Error).message } } });
    }
  }
  return send(response, stripeError(404, { type: 'invalid_request_error', message: `No local route ${request.method} ${path}` }));
}

async function serveStripe(
  request: IncomingMessage,
  response: ServerResponse,
  path: string,
  { provider, apiKey, hangMs, stopping }: { provider: LocalPaymentProvider; apiKey: string; hangMs: number; stopping: AbortSignal },
) {
  const read = await readBody(request, MAX_BODY_BYTES);
  const refused = authProblem(request, apiKey);
  if (refused) return send(response, refused);
  const method = request.method ?? 'GET';
  const route = stripeRoute(method, path);
  if (route) provider.calls[route.call] = (provider.calls[route.call] ?? 0) + 1;
  const fault: Fault = provider.faults.next(route?.call);
  if (fault === 'unavailable')
    return send(response, stripeError(500, { type: 'api_error', message: 'An unknown error occurred (injected by --payment-faults).' }), {
      'stripe-should-retry': 'true',
    });
  if (fault === 'timeout-before-charge') return hang(request, hangMs, stopping);

  const contentType = String(request.headers['content-type'] ?? '');
  if (request.method === 'POST' && read.body?.length && !contentType.startsWith('application/x-www-form-urlencoded'))
    return send(
      response,
      stripeError(400, {
        type: 'invalid_request_error',
        message: `Send the body as application/x-www-form-urlencoded, not ${contentType}.`,
      }),
    );
  const params = new URLSearchParams(read.body?.toString('utf8') ?? '');
  const idempotencyKey = request.headers['idempotency-key'] as string | undefined;
  if (!route)
    return send(response, stripeError(404, { type: 'invalid_request_error', message: `Unrecognized request URL (${method}: ${path}).` }));
  const call = route.run(provider.ledger, params, idempotencyKey);
  if (fault === 'timeout-after-charge') return hang(request, hangMs, stopping);
  send(response, call.answer, {
    ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
    ...(call.replayed ? { 'idempotent-replayed': 'true' } : {}),
  });
}

export async function startPaymentProvider({
  port,
  apiKey = LOCAL_PAYMENT_PROVIDER_KEY,
  faultRate = 0,
  seed,
  hangMs = DEFAULT_HANG_MS,
}: PaymentProviderOptions): Promise<LocalPaymentProvider> {
  const stopping = new AbortController();
  const server = createServer();
  const provider: LocalPaymentProvider = {
    url: `http://127.0.0.1:${port}`,
    ledger: new PaymentLedger(),
    faults: new PaymentFaults({ rate: faultRate, ...(seed === undefined ? {} : { seed }) }),
    calls: {},
    close: () =>
      new Promise<void>((resolve) => {
        stopping.abort();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const path = (request.url ?? '/').split('?')[0] as string;
    const served = path.startsWith('/_local/')
      ? serveLocal(request, response, path, provider)
      : serveStripe(request, response, path, { provider, apiKey, hangMs, stopping: stopping.signal });
    served.catch((error: Error) => {
      if (!response.headersSent) send(response, stripeError(500, { type: 'api_error', message: error.message }));
    });
  });
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  return provider;
}
