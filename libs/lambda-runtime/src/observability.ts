import { AsyncLocalStorage } from 'node:async_hooks';
import { LogFormatter, Logger, LogItem } from '@aws-lambda-powertools/logger';
import type { LogAttributes, UnformattedAttributes } from '@aws-lambda-powertools/logger/types';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

/** The correlation id of the batch record being handled, where it differs from the invocation's. */
const recordCorrelation = new AsyncLocalStorage<string>();

/**
 * Powertools' own log format (its keys, in its order), with one addition: a line written while a batch record
 * is handled carries that record's correlation id. The records of a batch are handled side by side, so an id
 * appended to the logger would be the last record's on every record's lines; an async scope keeps each record's
 * own. (Powertools documents a custom LogFormatter for this; its default formatter is not exported to extend.)
 */
class RecordCorrelatedLogFormatter extends LogFormatter {
  override formatAttributes(attributes: UnformattedAttributes, additionalLogAttributes: LogAttributes): LogItem {
    const { lambdaContext } = attributes;
    const correlationId = recordCorrelation.getStore();
    return new LogItem({
      attributes: {
        level: attributes.logLevel,
        message: attributes.message,
        timestamp: this.formatTimestamp(attributes.timestamp),
        service: attributes.serviceName,
        cold_start: lambdaContext?.coldStart,
        function_arn: lambdaContext?.invokedFunctionArn,
        function_memory_size: lambdaContext?.memoryLimitInMB,
        function_name: lambdaContext?.functionName,
        function_request_id: lambdaContext?.awsRequestId,
        sampling_rate: attributes.sampleRateValue,
        xray_trace_id: attributes.xRayTraceId,
      },
    }).addAttributes(correlationId === undefined ? additionalLogAttributes : { ...additionalLogAttributes, correlation_id: correlationId });
  }
}

/**
 * A Powertools Logger as every function uses it. Service name, level, sampling and event logging come from
 * POWERTOOLS_SERVICE_NAME, POWERTOOLS_LOG_LEVEL, POWERTOOLS_LOGGER_SAMPLE_RATE and POWERTOOLS_LOGGER_LOG_EVENT,
 * which the shared Serverless configuration sets; they are read when the logger is made.
 */
export function createLogger(): Logger {
  return new Logger({ logFormatter: new RecordCorrelatedLogFormatter() });
}

/**
 * Powertools Metrics as every function uses it: the namespace and the `service` dimension from
 * POWERTOOLS_METRICS_NAMESPACE and POWERTOOLS_SERVICE_NAME; POWERTOOLS_METRICS_DISABLED=true (the local stage)
 * writes nothing.
 */
export function createMetrics(): Metrics {
  return new Metrics();
}

/** One logger and one metrics store per Lambda sandbox. */
export const logger = createLogger();
export const metrics = createMetrics();

/** Runs `work` with the lines it logs under its own correlation id (one record of a batch). */
export function withCorrelationId<T>(correlationId: string, work: () => T): T {
  return recordCorrelation.run(correlationId, work);
}

/** Counts a business event (OrderPlaced, StockReserved …) as a CloudWatch metric, published when the invocation ends. */
export function countMetric(name: string, value = 1): void {
  metrics.addMetric(name, MetricUnit.Count, value);
}

/** Writes the invocation's metrics (one EMF log line); only the handler wrappers call it, once at the end. */
export function flushMetrics(): void {
  // Powertools warns about an empty flush; most invocations count nothing.
  if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
}
