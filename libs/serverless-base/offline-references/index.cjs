/**
 * A Serverless plugin every service loads from the base config. A function's environment may hold what only
 * CloudFormation can resolve (`CHECKOUT_STATE_MACHINE_ARN: !Ref CheckoutStateMachine`); serverless-offline passes
 * such a value on as it is, and the function reads "[object Object]". The local stack resolves every function's
 * environment from the packaged template for the local account and hands it over in
 * STOREFRONT_OFFLINE_ENVIRONMENT ({"<function name>": {"<VARIABLE>": "<value>"}}); before offline starts, this
 * plugin puts those values in place of the references. Plain values (names, params) are left alone, so `--param`
 * overrides still apply. Without the variable (packaging, deploying, offline run by hand) it changes nothing.
 */
'use strict';

const VARIABLE = 'STOREFRONT_OFFLINE_ENVIRONMENT';

const isReference = (value) => value !== null && typeof value === 'object';

/**
 * Replaces each reference in a function's environment (its own or the provider's) by its resolved value.
 * Changes `service` in place; answers the `function.VARIABLE`s it had no string value for.
 */
function resolveReferences(service, resolved) {
  const missing = [];
  for (const [key, fn] of Object.entries(service.functions ?? {})) {
    const environment = { ...service.provider?.environment, ...fn.environment };
    const values = resolved[fn.name] ?? {};
    for (const [variable, value] of Object.entries(environment)) {
      if (!isReference(value)) continue;
      if (typeof values[variable] === 'string') fn.environment = { ...fn.environment, [variable]: values[variable] };
      else missing.push(`${key}.${variable}`);
    }
  }
  return missing;
}

class OfflineReferences {
  constructor(serverless) {
    this.serverless = serverless;
    // `serverless offline start` (what the local stack runs) and `serverless offline` both pass here before loading functions.
    this.hooks = { 'before:offline:start:init': () => this.resolve(), 'before:offline:start': () => this.resolve() };
  }

  resolve() {
    const given = process.env[VARIABLE];
    if (!given) return;
    const missing = resolveReferences(this.serverless.service, JSON.parse(given));
    if (missing.length)
      throw new this.serverless.classes.Error(
        `No local value for ${missing.join(', ')}: the local stack resolves them from the packaged template`,
      );
  }
}

module.exports = OfflineReferences;
module.exports.resolveReferences = resolveReferences;
module.exports.VARIABLE = VARIABLE;
