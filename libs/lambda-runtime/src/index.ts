export { countMetric, logger } from './observability';
export { CORRELATION_HEADER, httpHandler, type HttpRequest, type HttpResult } from './http-handler';
export { DEFAULT_MAX_BODY_BYTES } from './request-body';
export { PROBLEM_CONTENT_TYPE, problemForKind, problemResponse, type Problem } from './problem';
export { dynamoStreamHandler, sqsBatchHandler } from './batch-handlers';
export { requiredEnv } from './env';
export { sqsEventHandler, UnreadableMessageError } from './sqs-event-handler';
export { s3ObjectHandler, type S3ObjectRef } from './s3-object-handler';
export { scheduleHandler, type ScheduledRun } from './schedule-handler';
