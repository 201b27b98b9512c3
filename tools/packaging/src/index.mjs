// The packaging project's public surface: what `npm run package`, the local stack and the tools share.
export { describeTemplate, LOCAL_ACCOUNT_ID, resolveValue } from './cloudformation.mjs';
export { describeFailure, StackError } from './errors.mjs';
export { packageServices } from './packaging.mjs';
export { composeServices, packagedTemplate, serviceName, workspaceRoot } from './services.mjs';
