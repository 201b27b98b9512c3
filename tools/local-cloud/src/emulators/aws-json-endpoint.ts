/**
 * A local endpoint for an AWS service that speaks the JSON protocol (Step Functions: JSON 1.0, Secrets Manager:
 * JSON 1.1): every call is a POST of a JSON body naming its action in `X-Amz-Target`, and every error is a JSON body
 * with `__type`, which the AWS SDK turns into an exception of that name. The SDKs find it through their own
 * `AWS_ENDPOINT_URL_<SERVICE>` variables, so the code that calls it carries nothing local.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readBody } from '../common/upstream.ts';

/** An error the service answers with, as AWS names it (`ResourceNotFoundException`, `ExecutionAlreadyExists` …). */
export class AwsServiceError extends Error {
  readonly type: string;
  readonly status: number;

  constructor(type: string, message: string, status = 400) {
    super(message);
    this.name = 'AwsServiceError';
    this.type = type;
    this.status = status;
  }
}

export type AwsJsonInput = Record<string, unknown>;
export type AwsJsonAction = (input: AwsJsonInput) => unknown;

export interface AwsJsonEndpointOptions {
  port: number;
  /** What precedes the action in X-Amz-Target: `AWSStepFunctions`, `secretsmanager`. */
  targetPrefix: string;
  /** `1.0` or `1.1`, echoed in the answer's content type. */
  jsonVersion: '1.0' | '1.1';
  actions: Record<string, AwsJsonAction>;
}

export interface AwsJsonEndpoint {
  url: string;
  close: () => Promise<void>;
}

const MAX_REQUEST_BYTES = 1024 * 1024;

/** A timestamp as the JSON protocol carries it: seconds since the epoch. */
export const epochSeconds = (date: Date): number => date.getTime() / 1000;

/** A string member of the input, or undefined; anything else is refused the way AWS refuses it. */
export function optionalString(input: AwsJsonInput, member: string): string | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new AwsServiceError('ValidationException', `${member} must be a string`);
  return value;
}

export function requiredString(input: AwsJsonInput, member: string): string {
  const value = optionalString(input, member);
  if (value === undefined || value === '') throw new AwsServiceError('ValidationException', `${member} is required`);
  return value;
}

function answer(response: ServerResponse, status: number, body: unknown, contentType: string): void {
  const text = JSON.stringify(body ?? {});
  response.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

async function handle(request: IncomingMessage, response: ServerResponse, options: AwsJsonEndpointOptions): Promise<void> {
  const contentType = `application/x-amz-json-${options.jsonVersion}`;
  const fail = (error: AwsServiceError) => answer(response, error.status, { __type: error.type, message: error.message }, contentType);
  const read = await readBody(request, MAX_REQUEST_BYTES);
  const target = String(request.headers['x-amz-target'] ?? '');
  const [prefix, action = ''] = target.split('.');
  const run = prefix === options.targetPrefix && request.method === 'POST' ? options.actions[action] : undefined;
  if (!run) return fail(new AwsServiceError('UnknownOperationException', `${target || 'no X-Amz-Target'} is not served locally`));
  if (read.tooLarge) return fail(new AwsServiceError('ValidationException', `the request is over ${MAX_REQUEST_BYTES} bytes`));
  let input: unknown;
  try {
    input = read.body.length ? JSON.parse(read.body.toString('utf8')) : {};
  } catch {
    return fail(new AwsServiceError('SerializationException', 'the request body is not JSON'));
  }
  if (input === null || typeof input !== 'object' || Array.isArray(input))
    return fail(new AwsServiceError('SerializationException', 'the request body is not a JSON object'));
  try {
    answer(response, 200, await run(input as AwsJsonInput), contentType);
  } catch (error) {
    fail(error instanceof AwsServiceError ? error : new AwsServiceError('InternalFailure', (error as Error).message, 500));
  }
}

/** Listens on loopback; `close` also ends kept-alive connections, so a stop never waits on an idle client. */
export async function startAwsJsonEndpoint(options: AwsJsonEndpointOptions): Promise<AwsJsonEndpoint> {
  const server = createServer((request, response) => {
    handle(request, response, options).catch((error: Error) => {
      if (!response.headersSent) answer(response, 500, { __type: 'InternalFailure', message: error.message }, 'application/json');
    });
  });
  server.listen(options.port, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${options.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
