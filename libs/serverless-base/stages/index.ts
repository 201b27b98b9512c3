/**
 * A Serverless plugin every service loads from the base config: it gives the compiled template what the stage being
 * packaged asks for in `stageSettings` (serverless.base.cjs), so no service repeats it and a new service gets it too:
 *
 * - every HTTP function released by canary (CodeDeploy) through its `live` alias, which its routes invoke;
 * - provisioned concurrency on the alias of each function marked `latencyCritical: true`;
 * - reserved concurrency on every queue and stream consumer;
 * - an error alarm on every function, to the alerts topic;
 * - Retain policies and point-in-time recovery on every DynamoDB table.
 *
 * A stage that asks for none of it (dev, local) leaves the template as the framework compiled it.
 * Node runs it as it is (type stripping): only erasable syntax, `.ts` in relative imports.
 */
import { isHttpFunction, LIVE_ALIAS, prepareFunctions, provisionedConcurrencyOf, type StageFunction } from './functions.ts';
import { codeDeployResources, type CompiledFunction, deploymentGroup, errorAlarm, liveAlias } from './releases.ts';
import { type StageSettings, stageSettings } from './settings.ts';
import { protectTables, type TemplateResource } from './tables.ts';

/** A function once compiled: the framework records the logical id of the version it made. */
type CompiledStageFunction = StageFunction & { versionLogicalId?: string };

/** What of the framework's plugin API this plugin uses. */
interface Serverless {
  service: {
    functions?: Record<string, CompiledStageFunction>;
    provider: { compiledCloudFormationTemplate: { Resources: Record<string, TemplateResource> } };
    custom?: { alerts?: { topicArn?: unknown } } | undefined;
  };
  configSchemaHandler: { defineFunctionProperties: (provider: string, schema: Record<string, unknown>) => void };
  getProvider: (name: 'aws') => {
    getStage: () => string;
    naming: { getNormalizedFunctionName: (functionName: string) => string; getLambdaLogicalId: (functionName: string) => string };
  };
  classes: { Error: new (message: string) => Error };
}

// osls takes a plugin module's default export.
export default class Stages {
  readonly serverless: Serverless;
  readonly hooks: Record<string, () => void>;

  constructor(serverless: Serverless) {
    this.serverless = serverless;
    serverless.configSchemaHandler.defineFunctionProperties('aws', { properties: { latencyCritical: { type: 'boolean' } } });
    this.hooks = {
      // Before functions and events compile, so the framework makes the versions and points routes at the alias.
      'before:package:compileFunctions': () => this.prepare(),
      // After the service's own resources are merged into the template, before it is saved.
      'after:aws:package:finalize:mergeCustomProviderResources': () => this.complete(),
    };
  }

  get settings(): StageSettings {
    return stageSettings(this.serverless.getProvider('aws').getStage());
  }

  logicalId(functionName: string, suffix: string): string {
    return `${this.serverless.getProvider('aws').naming.getNormalizedFunctionName(functionName)}${suffix}`;
  }

  prepare(): void {
    try {
      prepareFunctions(this.serverless.service.functions ?? {}, this.settings, (name) => this.logicalId(name, 'LiveAlias'));
    } catch (error) {
      throw new this.serverless.classes.Error((error as Error).message);
    }
  }

  complete(): void {
    const { settings } = this;
    const { Resources } = this.serverless.service.provider.compiledCloudFormationTemplate;
    const topicArn = this.serverless.service.custom?.alerts?.topicArn;
    protectTables(Resources, settings.tables);
    let releasedByCanary = false;
    for (const [name, fn] of Object.entries(this.serverless.service.functions ?? {})) {
      const compiled = this.compiled(name, fn, settings);
      const canary = isHttpFunction(fn) ? settings.canary : undefined;
      const alarmId = this.logicalId(name, 'ErrorsAlarm');
      if (settings.alarms.functionErrors || canary) Resources[alarmId] = errorAlarm(compiled, topicArn);
      let deploymentGroupId: string | undefined;
      if (canary) {
        deploymentGroupId = this.logicalId(name, 'DeploymentGroup');
        Resources[deploymentGroupId] = deploymentGroup(alarmId, canary.deploymentConfig);
        releasedByCanary = true;
      }
      if (compiled.alias) {
        Resources[compiled.alias.aliasId] = liveAlias(compiled, deploymentGroupId);
        // CloudFormation deletes a replaced version once the update (and its canary) succeeded; nothing needs it after.
        delete Resources[compiled.alias.versionId]?.DeletionPolicy;
      }
    }
    if (releasedByCanary) Object.assign(Resources, codeDeployResources());
  }

  compiled(name: string, fn: CompiledStageFunction, settings: StageSettings): CompiledFunction {
    const functionId = this.serverless.getProvider('aws').naming.getLambdaLogicalId(name);
    if (fn.targetAlias?.name !== LIVE_ALIAS) return { name, functionId };
    if (!fn.versionLogicalId) throw new this.serverless.classes.Error(`${name} has no version to alias`);
    return {
      name,
      functionId,
      alias: {
        aliasId: fn.targetAlias.logicalId,
        versionId: fn.versionLogicalId,
        provisionedConcurrency: provisionedConcurrencyOf(fn, settings),
      },
    };
  }
}
