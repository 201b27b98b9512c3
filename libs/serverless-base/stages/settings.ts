/**
 * The per-stage settings, read from the base config (`stageSettings` in serverless.base.cjs), where every service's
 * provider reads its own: one table for both. The shape is described there; this is its type.
 */
import { createRequire } from 'node:module';

export interface StageSettings {
  logs: { level: string; retentionInDays: number };
  metrics: boolean;
  alarms: {
    functionErrors: boolean;
    /** serverless-slic-watch-plugin on or off, and its thresholds (the base config's `slicWatch` builds its config). */
    slicWatch: {
      enabled: boolean;
      durationPercentOfTimeout: number;
      throttlesPercent: number;
      streamIteratorAgeMs: number;
      queueMessageAgeSeconds: number;
      tableThrottleEvents: number;
    };
    /** The platform's HTTP API alarms: 5xx per minute and p99 latency over which they fire. */
    httpApi: { serverErrorsPerMinute: number; latencyP99Ms: number };
  };
  /** Provisioned concurrency of each latency-critical function's alias, and reserved concurrency of each consumer; 0 for none. */
  concurrency: { latencyCritical: number; consumers: number };
  tables: { retain: boolean; pointInTimeRecovery: boolean };
  /** The CodeDeploy configuration HTTP functions are released with; undefined to update them in place. */
  canary: { deploymentConfig: string } | undefined;
}

const base = createRequire(import.meta.url)('../serverless.base.cjs') as { stageSettings: (stage: string) => StageSettings };

export const stageSettings = (stage: string): StageSettings => base.stageSettings(stage);
