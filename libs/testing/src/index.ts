export { freePort } from './free-port';
export { LOCAL_CREDENTIALS, LOCAL_REGION, startDynamoDbLocal, type DynamoDbLocal } from './dynamodb-local';
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
