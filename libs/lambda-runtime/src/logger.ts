import { AsyncLocalStorage } from 'node:async_hooks';
import type { Context } from 'aws-lambda';

/**
 * Structured JSON logs in the format of Powertools Logger (the same keys, levels and settings:
 * POWERTOOLS_LOG_LEVEL, POWERTOOLS_LOGGER_SAMPLE_RATE, POWERTOOLS_LOGGER_LOG_EVENT, POWERTOOLS_SERVICE_NAME),
 * for the part of it this code uses. Powertools Logger was ~21 KiB of every bundle and ~3 ms of every cold
 * start (`npm run bench`); a log line here is one JSON.stringify and one write.
 *
 * {"level":"INFO","message":"…","timestamp":"…","service":"…","cold_start":true,"function_arn":"…",
 *  "function_memory_size":"256","function_name":"…","function_request_id":"…","sampling_rate":0,
 *  "xray_trace_id":"1-…","correlation_id":"…", …the line's own keys}
 */

const LEVELS = { TRACE: 6, DEBUG: 8, INFO: 12, WARN: 16, ERROR: 20, CRITICAL: 24, SILENT: 28 } as const;
export type LogLevel = keyof typeof LEVELS;

type LogAttributes = Record<string, unknown>;
/** What a line may carry besides its message: keys to add, or an error (logged under `error`). */
type Extra = LogAttributes | Error | string;

const TRUE_VALUES = ['1', 'y', 'yes', 't', 'true', 'on'];

const levelNamed = (name: string | undefined): LogLevel | undefined => {
  const level = name?.trim().toUpperCase();
  return level && level in LEVELS ? (level as LogLevel) : undefined;
};

/** An error as Powertools writes it: name, where it was thrown (the first frame with a file), message, stack, cause. */
export function formatError(error: Error): LogAttributes {
  const { name, message, stack, cause, ...own } = error as Error & { cause?: unknown };
  const location = /\(([^()]*?):(\d+?):(\d+?)\)\\?$/m.exec(stack ?? '');
  return {
    name,
    location: location ? `${location[1]}:${Number(location[2])}` : '',
    message,
    stack,
    cause: cause instanceof Error ? formatError(cause) : cause,
    ...own,
  };
}

/** JSON of a log line: errors as formatError writes them, bigints as strings, a repeated object once. */
function serialize(attributes: LogAttributes): string {
  const seen = new WeakSet<object>();
  return JSON.stringify(attributes, (_key, value: unknown) => {
    if (typeof value === 'bigint') return value.toString();
    if (value instanceof Error) return formatError(value);
    if (value && typeof value === 'object') {
      if (seen.has(value)) return '[Circular]';
      seen.add(value);
    }
    return value;
  });
}

export class Logger {
  private readonly env: NodeJS.ProcessEnv;
  private readonly sampleRate: number;
  private configuredLevel: LogLevel;
  private level: LogLevel;
  private context: Partial<Context> & { coldStart?: boolean } = {};
  private keys: LogAttributes = {};
  private readonly scope = new AsyncLocalStorage<string>();
  private coldStart: boolean;

  constructor(env: NodeJS.ProcessEnv = process.env) {
    this.env = env;
    this.configuredLevel =
      levelNamed(env.POWERTOOLS_LOG_LEVEL) ?? levelNamed(env.AWS_LAMBDA_LOG_LEVEL) ?? levelNamed(env.LOG_LEVEL) ?? 'INFO';
    this.level = this.configuredLevel;
    const rate = Number(env.POWERTOOLS_LOGGER_SAMPLE_RATE ?? 0);
    this.sampleRate = Number.isFinite(rate) && rate > 0 ? Math.min(rate, 1) : 0;
    // As Powertools: a cold start is one Lambda started on demand (not provisioned concurrency), on its first invocation.
    this.coldStart = env.AWS_LAMBDA_INITIALIZATION_TYPE === 'on-demand';
  }

  /** The Lambda context every line of the invocation carries. */
  addContext(context: Context): void {
    this.context = { ...context, coldStart: this.coldStart };
    this.coldStart = false;
  }

  /** With POWERTOOLS_LOGGER_SAMPLE_RATE, a share of invocations logs at DEBUG; decided anew for each. */
  refreshSampleRateCalculation(): void {
    this.level = this.sampleRate > 0 && Math.random() <= this.sampleRate ? 'DEBUG' : this.configuredLevel;
  }

  /** Logs the invocation's event when POWERTOOLS_LOGGER_LOG_EVENT is on. */
  logEventIfEnabled(event: unknown): void {
    if (TRUE_VALUES.includes(this.env.POWERTOOLS_LOGGER_LOG_EVENT?.trim().toLowerCase() ?? ''))
      this.info('Lambda invocation event', { event });
  }

  setCorrelationId(correlationId: string): void {
    this.keys.correlation_id = correlationId;
  }

  /**
   * Runs `work` with its own correlation id: the records of a batch are handled side by side, so an id set for the
   * whole logger would be the last record's on every record's lines.
   */
  withCorrelationId<T>(correlationId: string, work: () => T): T {
    return this.scope.run(correlationId, work);
  }

  getCorrelationId(): string | undefined {
    return this.scope.getStore() ?? (this.keys.correlation_id as string | undefined);
  }

  appendKeys(keys: LogAttributes): void {
    this.keys = { ...this.keys, ...keys };
  }

  /** Drops every key appended during the invocation (the correlation id included). */
  resetKeys(): void {
    this.keys = {};
  }

  setLogLevel(level: LogLevel): void {
    this.configuredLevel = level;
    this.level = level;
  }

  debug(message: string, ...extra: Extra[]): void {
    this.write('DEBUG', message, extra);
  }

  info(message: string, ...extra: Extra[]): void {
    this.write('INFO', message, extra);
  }

  warn(message: string, ...extra: Extra[]): void {
    this.write('WARN', message, extra);
  }

  error(message: string, ...extra: Extra[]): void {
    this.write('ERROR', message, extra);
  }

  private write(level: LogLevel, message: string, extra: Extra[]): void {
    if (LEVELS[level] < LEVELS[this.level]) return;
    const { context } = this;
    const line: LogAttributes = {
      level,
      message,
      timestamp: new Date().toISOString(),
      service: this.env.POWERTOOLS_SERVICE_NAME || 'service_undefined',
      cold_start: context.coldStart,
      function_arn: context.invokedFunctionArn,
      function_memory_size: context.memoryLimitInMB,
      function_name: context.functionName,
      function_request_id: context.awsRequestId,
      sampling_rate: this.sampleRate,
      xray_trace_id: /Root=([^;]+)/.exec(this.env._X_AMZN_TRACE_ID ?? '')?.[1],
      ...this.keys,
    };
    const scoped = this.scope.getStore();
    if (scoped !== undefined) line.correlation_id = scoped;
    for (const item of extra) {
      if (item instanceof Error) line.error = item;
      else if (typeof item === 'string') line.extra = item;
      else Object.assign(line, item);
    }
    // Lambda's console would prefix each line; warnings and errors go to stderr, as Powertools writes them.
    const stream = LEVELS[level] >= LEVELS.WARN ? process.stderr : process.stdout;
    stream.write(`${serialize(line)}\n`);
  }
}
