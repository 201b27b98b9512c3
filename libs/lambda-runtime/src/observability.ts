import { Logger } from './logger';

/**
 * One logger and one metrics store per Lambda sandbox. Service name and
 * namespace come from POWERTOOLS_SERVICE_NAME / POWERTOOLS_METRICS_NAMESPACE,
 * which the shared Serverless configuration sets for every function.
 */
export const logger = new Logger();

/** CloudWatch takes at most 100 metrics in one EMF document. */
const MAX_METRICS_PER_DOCUMENT = 100;
const TRUE_VALUES = ['1', 'y', 'yes', 't', 'true', 'on'];

/** As Powertools reads it: POWERTOOLS_METRICS_DISABLED when set, otherwise off in POWERTOOLS_DEV mode. */
const isOn = (value: string | undefined) => TRUE_VALUES.includes(value?.trim().toLowerCase() ?? '');
const metricsDisabled = (env: NodeJS.ProcessEnv) =>
  env.POWERTOOLS_METRICS_DISABLED !== undefined ? isOn(env.POWERTOOLS_METRICS_DISABLED) : isOn(env.POWERTOOLS_DEV);

/**
 * The business counts of an invocation, written at its end as one CloudWatch Embedded Metric Format line
 * (namespace, the `service` dimension, a Count per name), the same document Powertools Metrics writes for
 * `addMetric(name, MetricUnit.Count, value)`: the only call this code made of it, which cost ~12 KiB of every
 * bundle. POWERTOOLS_METRICS_DISABLED=true (the local stage) writes nothing.
 */
class InvocationCounts {
  private readonly counts = new Map<string, number[]>();

  add(name: string, value: number): void {
    if (!this.counts.has(name) && this.counts.size >= MAX_METRICS_PER_DOCUMENT) this.publishStoredMetrics();
    this.counts.set(name, [...(this.counts.get(name) ?? []), value]);
  }

  hasStoredMetrics(): boolean {
    return this.counts.size > 0;
  }

  /** Writes the stored counts straight to stdout (Lambda's console would prefix the line, and CloudWatch would not read it). */
  publishStoredMetrics(env: NodeJS.ProcessEnv = process.env): void {
    const names = [...this.counts.keys()];
    const values = Object.fromEntries([...this.counts].map(([name, counts]) => [name, counts.length === 1 ? counts[0] : counts]));
    this.counts.clear();
    if (names.length === 0 || metricsDisabled(env)) return;
    const service = env.POWERTOOLS_SERVICE_NAME ?? 'service_undefined';
    const metrics = names.map((name) => ({ Name: name, Unit: 'Count' }));
    const document = {
      _aws: {
        Timestamp: Date.now(),
        CloudWatchMetrics: [{ Namespace: env.POWERTOOLS_METRICS_NAMESPACE, Dimensions: [['service']], Metrics: metrics }],
      },
      service,
      ...values,
    };
    process.stdout.write(`${JSON.stringify(document)}\n`);
  }
}

export const metrics = new InvocationCounts();

/** Counts a business event (OrderPlaced, StockReserved …) as a CloudWatch metric, published when the invocation ends. */
export function countMetric(name: string, value = 1): void {
  metrics.add(name, value);
}

/** Writes the invocation's metrics (as an EMF log line); only the handler wrappers call it, once at the end. */
export function flushMetrics(): void {
  if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
}
