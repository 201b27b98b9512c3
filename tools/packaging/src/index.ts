// The packaging project's public surface: what `npm run package`, the local stack and the tools share.
export { describeTemplate, LOCAL_ACCOUNT_ID, localSecretArn, localStateMachineArn, resolveValue } from './cloudformation.ts';
export type { DescribedTemplate, Resolved, ResolvedResource, TemplateContext } from './cloudformation.ts';
export { describeFailure, StackError } from './errors.ts';
export { DYNAMODB_LOCAL_JVM_OPTIONS, dynamoDbLocalArguments, dynamoDbLocalJar } from './dynamodb-local.ts';
export { packageServices } from './packaging.ts';
export { runCommand } from './run-command.ts';
export type { RunOptions } from './run-command.ts';
export type { PackageOptions, PackageResult } from './packaging.ts';
export {
  composeServices,
  LOCAL_STAGE,
  NODE_COMPILE_CACHE_DIR,
  outputsTakenFrom,
  packageDir,
  serviceName,
  stageRoot,
  workspaceRoot,
} from './services.ts';
export type { ComposeService, ServiceParam } from './services.ts';
export { packagedTemplate, packagedTemplateFile } from './template.ts';
export { unpackFunctions, unzipInto } from './zip.ts';
export type { CfnOutput, CfnResource, CfnTemplate } from './template.ts';
