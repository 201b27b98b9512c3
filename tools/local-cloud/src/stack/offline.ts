/** serverless-offline, one per service: starting it (without its own scheduler), and invoking its functions the way Lambda would. */
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../common/aws-local.ts';
import { type ComposeService, NODE_COMPILE_CACHE_DIR, type Resolved, StackError } from '#packaging';
import type { ProcessGroup, RunningProcess } from './processes.ts';
import type { Invocation } from '../common/types.ts';
import { REQUEST_AS_SENT_HEADER } from '../gateway/request-as-sent.ts';

export const STAGE = 'local';

/** Where each local stand-in for an AWS service listens. */
export interface LocalAwsEndpoints {
  dynamodb: string;
  messaging: string;
  stepFunctions: string;
  secretsManager: string;
}

/** The environment every function sees locally: the emulators stand in for AWS, found through the SDK's own variables. */
export function localAwsEnvironment({ dynamodb, messaging, stepFunctions, secretsManager }: LocalAwsEndpoints): NodeJS.ProcessEnv {
  const environment: NodeJS.ProcessEnv = {
    ...process.env,
    AWS_REGION: LOCAL_REGION,
    AWS_DEFAULT_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: dynamodb,
    AWS_ENDPOINT_URL_DYNAMODB_STREAMS: dynamodb,
    AWS_ENDPOINT_URL_SNS: messaging,
    AWS_ENDPOINT_URL_SQS: messaging,
    AWS_ENDPOINT_URL_S3: messaging,
    AWS_ENDPOINT_URL_SFN: stepFunctions,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsManager,
  };
  delete environment.AWS_PROFILE;
  delete environment.AWS_SESSION_TOKEN;
  return environment;
}

function waitForReady(entry: RunningProcess, { name, timeoutMs }: { name: string; timeoutMs: number }): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (error?: Error) => {
      clearInterval(poll);
      clearTimeout(timer);
      if (error) reject(error);
      else resolve();
    };
    const poll = setInterval(() => {
      if (entry.output.some((line) => line.includes('Server ready:'))) done();
      else if (entry.child.exitCode !== null)
        done(new StackError(`${name} exited while starting: ${entry.output.slice(-8).join(' | ')}`, 'fix the error it printed'));
    }, 100);
    const timer = setTimeout(
      () =>
        done(new StackError(`${name} was not ready within ${timeoutMs / 1000} s: ${entry.output.slice(-5).join(' | ')}`, 'see its output')),
      timeoutMs,
    );
  });
}

/** Starts serverless-offline for a service with the params compose would pass, and waits until it serves. */
export interface OfflineOptions {
  service: ComposeService;
  params: Record<string, string>;
  httpPort: number;
  lambdaPort: number;
  environment: NodeJS.ProcessEnv;
  /** Each function's environment as the packaged template resolves it locally, for the references offline cannot resolve. */
  functionEnvironments: Record<string, Record<string, string>>;
  /** The folder the service's packaged functions are unpacked in, for offline to run; none to have offline build them. */
  bundles: string | undefined;
  watch: boolean;
  onLine: (line: string) => void;
}

export async function startOffline(
  processes: ProcessGroup,
  { service, params, httpPort, lambdaPort, environment, functionEnvironments, bundles, watch, onLine }: OfflineOptions,
): Promise<void> {
  const args = [
    ...['offline', 'start', '--stage', STAGE, '--region', LOCAL_REGION, '--host', '127.0.0.1'],
    // The gateway checks tokens in front of offline, as API Gateway does, and hands the verified claims on.
    ...['--noAuth', '--noPrependStageInUrl', '--httpPort', String(httpPort), '--lambdaPort', String(lambdaPort)],
    ...Object.entries(params).map(([name, value]) => `--param=${name}=${value}`),
    // API Gateway passes cookies on as they came; hapi would answer a cookie it cannot parse with its own 400.
    '--disableCookieValidation',
    // serverless-esbuild rebuilds on change under offline; reloading the handler per call picks the rebuild up.
    // Each call then gets a fresh worker, so idle ones are ended soon instead of after offline's default minute.
    ...(watch ? ['--reloadHandler', '--terminateIdleLambdaTime', '5'] : []),
  ];
  // Read by the base config's offline-references plugin; offline hands functions only the AWS_* variables of its own environment.
  // The schedules are the stack's (schedules.ts), so offline's own scheduler stays off. The gateway sends each request
  // as the client sent it in a header of its own, which the plugin makes the function's event read instead of offline's.
  const env = {
    ...environment,
    STOREFRONT_OFFLINE_ENVIRONMENT: JSON.stringify(functionEnvironments),
    STOREFRONT_SCHEDULES_BY_STACK: '1',
    STOREFRONT_REQUEST_AS_SENT_HEADER: REQUEST_AS_SENT_HEADER,
    // osls and its plugins load from compiled code after the first boot: 18.8 instead of 20.9 CPU-seconds to boot the
    // stack (medians of 4 and 5 boots), ready in 11.3 instead of 12.7 s.
    NODE_COMPILE_CACHE: process.env.NODE_COMPILE_CACHE ?? NODE_COMPILE_CACHE_DIR,
    ...(bundles ? { STOREFRONT_OFFLINE_BUNDLES: bundles } : {}),
  };
  const entry = processes.spawn(service.name, 'serverless', args, { cwd: service.dir, env, onLine });
  await waitForReady(entry, { name: `${service.name} (serverless-offline)`, timeoutMs: 90_000 });
}

/**
 * Invokes a function through offline's Lambda API; `ok` is false when the function threw or did not answer. `signal`
 * (the stack stopping) aborts it. fetch is given a signal of this call's own: undici leaves a listener on the signal
 * it is given until the request is garbage-collected, and on the stack's one signal thousands of invocations
 * piled up listeners (Node warned past 1,500 in a fault run).
 */
export async function invokeOffline(port: number, functionName: string, event: unknown, signal?: AbortSignal): Promise<Invocation> {
  const call = new AbortController();
  const abort = () => call.abort(signal?.reason);
  if (signal?.aborted) abort();
  else signal?.addEventListener('abort', abort, { once: true });
  try {
    const response = await fetch(`http://127.0.0.1:${port}/2015-03-31/functions/${functionName}/invocations`, {
      method: 'POST',
      body: JSON.stringify(event),
      headers: { 'content-type': 'application/json' },
      signal: call.signal,
    });
    const text = await response.text();
    let payload: unknown;
    try {
      payload = text ? JSON.parse(text) : undefined;
    } catch {
      payload = text;
    }
    return { ok: response.ok && !response.headers.get('x-amz-function-error'), payload };
  } catch (error) {
    return { ok: false, payload: { errorMessage: (error as Error).message } };
  } finally {
    signal?.removeEventListener('abort', abort);
  }
}

/** A field of a function's answer, when the answer is an object. */
export function payloadField(invocation: Invocation, field: string): Resolved {
  const payload = invocation.payload;
  return payload !== null && typeof payload === 'object' ? (payload as Record<string, unknown>)[field] : undefined;
}
