export { freePort } from './free-port';
export { LOCAL_CREDENTIALS, LOCAL_REGION, startDynamoDbLocal, type DynamoDbLocal } from './dynamodb-local';
export { TEST_PAGE_CURSOR_KEY } from './page-cursors';
export { createTableFromResource } from './tables';
export {
  alertingGaps,
  deployedRouteKeys,
  failureQueues,
  functionRoles,
  leastPrivilegeViolations,
  packagedTemplate,
  type CfnResource,
  type CfnTemplate,
} from './templates';
