export { freePort } from './free-port';
export { workspaceCopy } from './workspace-copy';
export { emptyDynamoDbLocal, LOCAL_CREDENTIALS, LOCAL_REGION, type DynamoDbLocal } from './dynamodb-local';
export { TEST_PAGE_CURSOR_KEY } from './page-cursors';
export { createTableFromResource } from './tables';
export {
  alertingGaps,
  deployedRouteKeys,
  failureQueues,
  functionRoles,
  leastPrivilegeViolations,
  requirePackagedTemplate,
} from './templates';
// The template model and the local stage are the packaging project's: tests reach them through this lib, as they may
// not import a tool themselves.
export { LOCAL_STAGE, type CfnResource, type CfnTemplate } from '@storefront/packaging';
export { unpackedFunction, type UnpackedFunction } from './packaged-function';
export { describeServiceTemplate, serviceTemplateChecks, type ServiceTemplateRules, type TemplateSubscription } from './service-template';
export {
  consumerFunctions,
  expectedSlicWatchAlarms,
  httpFunctions,
  SHIPPED_STAGES,
  slicWatchAlarms,
  slicWatchChecks,
  stageTemplateChecks,
  type ShippedStage,
  type StageTemplateRules,
} from './stage-templates';
export { arnOf, expectedSubscriptionResources, type SubscriptionDeclaration } from './subscription-resources';
export { aStreamEvent, aStreamRecord, type StreamRecordOptions } from './factories/dynamodb-stream';
export {
  aDailyReportReady,
  anOrderCancelled,
  anOrderConfirmed,
  anOrderPlaced,
  anOrderRejected,
  anOrderReserved,
  aPaymentCaptured,
  aPaymentFailed,
  aPaymentRefunded,
  aStockRejected,
  aStockReleased,
  aStockReserved,
  type EventOverrides,
} from './factories/events';
export { aCaller, anHttpApiEvent, callHttp, jwtAuthorizerContext, type HttpApiRequest, type Identity } from './factories/http-api';
export { aLambdaContext } from './factories/lambda-context';
export { anS3Event, anS3Record, type S3ObjectCreated } from './factories/s3';
export { anSqsEvent, anSqsRecord, anSqsRecordFromTopic } from './factories/sqs';
