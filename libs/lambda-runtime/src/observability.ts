import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

/**
 * One logger and one metrics instance per Lambda sandbox. Service name and
 * namespace come from POWERTOOLS_SERVICE_NAME / POWERTOOLS_METRICS_NAMESPACE,
 * which the shared Serverless configuration sets for every function.
 */
export const logger = new Logger();
export const metrics = new Metrics();

/** Counts a business event (OrderPlaced, StockReserved …) as a CloudWatch metric, published when the invocation ends. */
export function countMetric(name: string, value = 1): void {
  metrics.addMetric(name, MetricUnit.Count, value);
}

/** Writes the invocation's metrics (as an EMF log line); only the handler wrappers call it, once at the end. */
export function flushMetrics(): void {
  if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
}
