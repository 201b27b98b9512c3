import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:dgram';
import type { ClientRequest, IncomingMessage } from 'node:http';

/**
 * X-Ray for the functions where a trace pays for itself (HTTP routes, workflow tasks): under the segment
 * Lambda records for the invocation, a `## <handler>` subsegment (annotated ColdStart and Service) holding one
 * subsegment per outgoing call, an AWS SDK call (service, operation, request id, status) or any other HTTP call
 * (the payment provider). The calls are seen through Node's own http and fetch diagnostics channels, so no
 * client is wrapped, and the documents go to the X-Ray daemon over UDP before the invocation answers.
 *
 * Powertools Tracer does the same through aws-xray-sdk-core, at ~121 KiB more per bundle and far more than 10 ms
 * of every cold start (paired, docs/architecture.md);
 * this costs under 3 KiB and nothing until an invocation is traced. Tracing is on where Lambda runs the function
 * with a sampled trace (AWS_EXECUTION_ENV, _X_AMZN_TRACE_ID with Sampled=1), unless POWERTOOLS_TRACE_ENABLED is
 * false; under serverless-offline there is neither, so it stays off.
 */

interface Subsegment {
  id: string;
  name: string;
  start_time: number;
  end_time?: number;
  namespace?: 'aws' | 'remote';
  aws?: Record<string, string | undefined>;
  http?: { request?: { method: string; url: string }; response?: { status: number } };
  annotations?: Record<string, string | boolean>;
  error?: boolean;
  fault?: boolean;
  throttle?: boolean;
  cause?: { exceptions: { message: string; type: string }[] };
  subsegments?: Subsegment[];
}

interface ActiveTrace {
  traceId: string;
  parentId: string;
  calls: Subsegment[];
}

/** The document X-Ray's daemon takes must fit one UDP datagram. */
const MAX_DOCUMENT_BYTES = 60_000;
/** The names X-Ray's service map knows AWS services by, from the service name requests are signed for. */
const XRAY_SERVICE_NAMES: Record<string, string> = {
  dynamodb: 'DynamoDB',
  states: 'SFN',
  secretsmanager: 'SecretsManager',
  sns: 'SNS',
  sqs: 'SQS',
  s3: 'S3',
};

const seconds = () => Date.now() / 1000;
const newId = () => randomBytes(8).toString('hex');

let active: ActiveTrace | undefined;
let coldStart = true;
let listening = false;
/** The call each outgoing request stands for, until it ends. */
const callOf = new WeakMap<object, Subsegment>();

/** `Root=1-…;Parent=…;Sampled=1` → the trace and parent ids, when the invocation is sampled. */
function sampledTrace(header: string | undefined): { traceId: string; parentId: string } | undefined {
  const fields = Object.fromEntries((header ?? '').split(';').map((field) => field.split('=') as [string, string]));
  return fields.Root && fields.Parent && fields.Sampled === '1' ? { traceId: fields.Root, parentId: fields.Parent } : undefined;
}

function tracingEnabled(env: NodeJS.ProcessEnv): boolean {
  return env.POWERTOOLS_TRACE_ENABLED !== 'false' && Boolean(env.AWS_EXECUTION_ENV?.startsWith('AWS_Lambda_')) && !env.AWS_SAM_LOCAL;
}

/** The daemon's UDP address: `host:port`, or `udp:host:port tcp:host:port`. */
function daemonAddress(env: NodeJS.ProcessEnv): { host: string; port: number } {
  const raw = env.AWS_XRAY_DAEMON_ADDRESS ?? '127.0.0.1:2000';
  const udp =
    raw
      .split(' ')
      .find((part) => part.startsWith('udp:'))
      ?.slice(4) ?? raw;
  const [host, port] = udp.split(':');
  return { host: host || '127.0.0.1', port: Number(port) || 2000 };
}

/** An AWS SDK call, by the signature's credential scope (`Credential=…/<date>/<region>/<service>/aws4_request`). */
function awsCall(authorization: string | undefined): { service: string; region: string } | undefined {
  const scope = /Credential=[^/]+\/\d+\/([^/]+)\/([^/]+)\//.exec(authorization ?? '');
  return scope ? { region: scope[1] as string, service: scope[2] as string } : undefined;
}

function onRequestStart(request: ClientRequest): void {
  if (!active) return;
  const header = (name: string) => {
    const value = request.getHeader(name);
    return value === undefined ? undefined : String(value);
  };
  const aws = awsCall(header('authorization'));
  const call: Subsegment = aws
    ? {
        id: newId(),
        name: XRAY_SERVICE_NAMES[aws.service] ?? aws.service,
        start_time: seconds(),
        namespace: 'aws',
        aws: { operation: header('x-amz-target')?.split('.').at(-1) ?? request.method, region: aws.region },
      }
    : {
        id: newId(),
        name: request.host,
        start_time: seconds(),
        namespace: 'remote',
        http: { request: { method: request.method, url: `${request.protocol}//${request.host}${request.path.split('?')[0]}` } },
      };
  active.calls.push(call);
  callOf.set(request, call);
}

function onCallEnded(request: object, status: number | undefined, requestId?: string): void {
  const call = callOf.get(request);
  if (!call) return;
  call.end_time = seconds();
  if (status !== undefined) call.http = { ...call.http, response: { status } };
  if (requestId && call.aws) call.aws.request_id = requestId;
  if (status === undefined || status >= 500) call.fault = true;
  else if (status >= 400) call.error = true;
  if (status === 429) call.throttle = true;
}

/** fetch (undici) requests: the payment provider. */
interface UndiciRequest {
  origin: string;
  method: string;
  path: string;
}

function onFetchStart(request: UndiciRequest): void {
  if (!active) return;
  const call: Subsegment = {
    id: newId(),
    name: new URL(request.origin).host,
    start_time: seconds(),
    namespace: 'remote',
    http: { request: { method: request.method, url: `${request.origin}${request.path.split('?')[0]}` } },
  };
  active.calls.push(call);
  callOf.set(request, call);
}

/** Subscribes once, on the first traced invocation: an untraced function never listens. */
function listenToOutgoingCalls(): void {
  if (listening) return;
  listening = true;
  const channels = process.getBuiltinModule('node:diagnostics_channel');
  channels.subscribe('http.client.request.start', (message) => onRequestStart((message as { request: ClientRequest }).request));
  channels.subscribe('http.client.response.finish', (message) => {
    const { request, response } = message as { request: ClientRequest; response: IncomingMessage };
    const requestId = response.headers['x-amzn-requestid'] ?? response.headers['x-amz-request-id'];
    onCallEnded(request, response.statusCode, typeof requestId === 'string' ? requestId : undefined);
  });
  channels.subscribe('http.client.request.error', (message) => onCallEnded((message as { request: object }).request, undefined));
  channels.subscribe('undici:request:create', (message) => onFetchStart((message as { request: UndiciRequest }).request));
  channels.subscribe('undici:request:headers', (message) => {
    const { request, response } = message as { request: object; response: { statusCode: number } };
    onCallEnded(request, response.statusCode);
  });
  channels.subscribe('undici:request:error', (message) => onCallEnded((message as { request: object }).request, undefined));
}

/** The daemon's address is an IP (Lambda's is 169.254.79.129): sending to it needs no DNS, nor loading node:dns. */
const literalAddress = (address: string, _family: unknown, callback: (error: null, address: string, family: number) => void) =>
  callback(null, address, 4);

/** One socket per sandbox, unreferenced so it never holds the process open. */
let daemonSocket: Socket | undefined;

function send(documents: object[], env: NodeJS.ProcessEnv): Promise<void> {
  const { host, port } = daemonAddress(env);
  if (!daemonSocket) {
    const isIp = process.getBuiltinModule('node:net').isIPv4(host);
    daemonSocket = process.getBuiltinModule('node:dgram').createSocket({ type: 'udp4', ...(isIp ? { lookup: literalAddress } : {}) });
    daemonSocket.unref();
  }
  const socket = daemonSocket;
  const header = '{"format": "json", "version": 1}\n';
  return Promise.all(
    documents.map(
      (document) => new Promise<void>((resolve) => socket.send(`${header}${JSON.stringify(document)}`, port, host, () => resolve())),
    ),
  ).then(() => undefined);
}

/** How an invocation ended, as X-Ray marks a subsegment: a 5xx answer or a throw is a fault, a 4xx an error. */
export type TraceOutcome = { statusCode: number } | { error: Error } | { ok: true };

/**
 * Runs one invocation under a `## <handler>` subsegment when Lambda samples it, with a subsegment for every
 * call the invocation makes, and sends them before answering. Otherwise it only runs the invocation.
 */
export async function traceInvocation<Result>(
  outcomeOf: (result: Result) => TraceOutcome,
  work: () => Promise<Result>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Result> {
  const trace = tracingEnabled(env) ? sampledTrace(env._X_AMZN_TRACE_ID) : undefined;
  if (!trace) return work();
  listenToOutgoingCalls();
  const handler: Subsegment = {
    id: newId(),
    name: `## ${env._HANDLER ?? 'handler'}`,
    start_time: seconds(),
    annotations: { ColdStart: coldStart, Service: env.POWERTOOLS_SERVICE_NAME ?? 'service' },
  };
  coldStart = false;
  const current: ActiveTrace = { ...trace, calls: [] };
  active = current;
  let outcome: TraceOutcome = { ok: true };
  try {
    const result = await work();
    outcome = outcomeOf(result);
    return result;
  } catch (error) {
    outcome = { error: error as Error };
    throw error;
  } finally {
    handler.end_time = seconds();
    if ('error' in outcome) {
      handler.fault = true;
      handler.cause = { exceptions: [{ message: outcome.error.message, type: outcome.error.name }] };
    } else if ('statusCode' in outcome) {
      if (outcome.statusCode >= 500) handler.fault = true;
      else if (outcome.statusCode >= 400) handler.error = true;
    }
    const made = current.calls.map((call) => ({ ...call, end_time: call.end_time ?? handler.end_time }));
    active = undefined;
    const envelope = { trace_id: trace.traceId, type: 'subsegment' };
    const whole = { ...handler, ...envelope, parent_id: trace.parentId, subsegments: made };
    // One datagram when it fits; otherwise each call on its own, under the handler's subsegment.
    const documents =
      JSON.stringify(whole).length <= MAX_DOCUMENT_BYTES
        ? [whole]
        : [
            { ...handler, ...envelope, parent_id: trace.parentId },
            ...made.map((call) => ({ ...call, ...envelope, parent_id: handler.id })),
          ];
    await send(documents, env).catch(() => undefined);
  }
}

/** For a handler wrapper's `observeInvocation(…, around)`: each invocation traced, its result read by `outcomeOf`. */
export const tracedBy =
  <Result>(outcomeOf: (result: Result) => TraceOutcome) =>
  (work: () => Promise<Result>): Promise<Result> =>
    traceInvocation(outcomeOf, work);
