/**
 * A Serverless plugin every service loads from the base config: the event
 * wiring every service repeats is declared on the function it feeds, as a
 * function event, and built here into the same resources, event and IAM in
 * every service (see subscription.cjs and outbox-relay.cjs). The built
 * events replace the declarations when the command starts, so packaging,
 * the per-function roles and serverless-offline all see ordinary sqs and
 * stream events; the dead-letter alarms plugin then alarms on the queues.
 */
'use strict';

const { buildOutboxRelay, outboxRelaySchema } = require('./outbox-relay.cjs');
const { buildSubscription, subscriptionSchema } = require('./subscription.cjs');

const builders = {
  subscription: { build: buildSubscription, schema: subscriptionSchema },
  outboxRelay: { build: buildOutboxRelay, schema: outboxRelaySchema },
};

// What a function runs for when neither it nor the provider sets a timeout.
const FRAMEWORK_DEFAULT_TIMEOUT = 6;

/**
 * Replaces every builder event in the service's functions by what it builds:
 * the event itself, the resources (added to the service's own, never over one)
 * and the function's IAM statements. Changes `service` in place.
 */
function wireService(service, { namePrefix }) {
  const resources = (service.resources ??= {});
  const declared = (resources.Resources ??= {});
  const declaredBy = new Map();
  for (const [functionName, fn] of Object.entries(service.functions ?? {})) {
    if (!Array.isArray(fn.events)) continue;
    fn.events = fn.events.map((event) => {
      const kind = Object.keys(event).find((key) => key in builders);
      if (!kind) return event;
      const functionTimeout = fn.timeout ?? service.provider?.timeout ?? FRAMEWORK_DEFAULT_TIMEOUT;
      const built = builders[kind].build(event[kind], { namePrefix, functionTimeout });
      for (const [logicalId, resource] of Object.entries(built.resources)) {
        if (logicalId in declared) {
          const owner = declaredBy.get(logicalId) ?? "the service's resources";
          throw new Error(`${functionName}'s ${kind} builds ${logicalId}, already declared by ${owner}`);
        }
        declared[logicalId] = resource;
        declaredBy.set(logicalId, `${functionName}'s ${kind}`);
      }
      if (built.iamRoleStatements.length) fn.iamRoleStatements = [...(fn.iamRoleStatements ?? []), ...built.iamRoleStatements];
      return built.event;
    });
  }
  return service;
}

class EventWiring {
  constructor(serverless) {
    this.serverless = serverless;
    for (const [kind, { schema }] of Object.entries(builders)) serverless.configSchemaHandler.defineFunctionEvent('aws', kind, schema);
    // `initialize` runs for every command, after the configuration is resolved and validated, before any compile step.
    this.hooks = { initialize: () => this.wire() };
  }

  wire() {
    const { service } = this.serverless;
    const namePrefix = `${service.service}-${this.serverless.getProvider('aws').getStage()}`;
    try {
      wireService(service, { namePrefix });
    } catch (error) {
      throw new this.serverless.classes.Error(error.message);
    }
  }
}

module.exports = EventWiring;
module.exports.wireService = wireService;
