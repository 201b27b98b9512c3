import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

/**
 * One logger and one metrics instance per Lambda sandbox. Service name and
 * namespace come from POWERTOOLS_SERVICE_NAME / POWERTOOLS_METRICS_NAMESPACE,
 * which the shared Serverless configuration sets for every function.
 * Marked pure so a bundle that never touches metrics does not carry them.
 */
export const logger = /* @__PURE__ */ new Logger();
export const metrics = /* @__PURE__ */ new Metrics();
