import { ACCESS_REQUIREMENTS, type HttpRoute } from '@storefront/contracts';
import { type CfnTemplate, LOCAL_STAGE } from '@storefront/packaging';
import { SHIPPED_STAGES, slicWatchChecks, stageTemplateChecks, type StageTemplateRules } from './stage-templates';
import { arnOf, expectedSubscriptionResources } from './subscription-resources';
import {
  alertingGaps,
  deployedRouteKeys,
  failureQueues,
  functionRoles,
  leastPrivilegeViolations,
  requirePackagedTemplate,
} from './templates';

/** Services are packaged for the local stage (`npm run package`), so the platform's topics read storefront-local-<name>. */
const PACKAGED_STAGE = LOCAL_STAGE;
const topicArn = (topic: string, stage: string = PACKAGED_STAGE) =>
  expect.stringMatching(new RegExp(`^arn:aws:sns:[a-z0-9-]+:\\d{12}:storefront-${stage}-${topic}$`));
/** `notifyCustomers` → `NotifyCustomersLambdaFunction`, the logical id the framework gives a function. */
const functionId = (name: string) => `${name.charAt(0).toUpperCase()}${name.slice(1)}LambdaFunction`;
/** The platform's JWT authorizer as the compose param hands its id over when packaging locally. */
const PLATFORM_AUTHORIZER_ID = `storefront-platform-${PACKAGED_STAGE}-HttpApiAuthorizer`;

/** A route as its contract declares it: what it answers to and who may call it. */
export type ContractRoute = Pick<HttpRoute, 'method' | 'template' | 'access'>;

/** What API Gateway checks before a route's function runs, as its contract's access asks. */
function expectedAuthorization(route: ContractRoute) {
  if (route.access === 'public') return { routeKey: `${route.method} ${route.template}` };
  return {
    routeKey: `${route.method} ${route.template}`,
    authorizationType: 'JWT',
    authorizerId: PLATFORM_AUTHORIZER_ID,
    scopes: ACCESS_REQUIREMENTS[route.access].scopes,
  };
}

const OUTBOX_INSERTS = JSON.stringify({ eventName: ['INSERT'], dynamodb: { NewImage: { entityType: { S: ['OUTBOX_EVENT'] } } } });

export interface TemplateSubscription {
  /** The declaration's queue, e.g. `OrderEvents`. */
  queue: string;
  /** The platform topic it hears, by its short name (`orders` for storefront-<stage>-orders). */
  topic: string;
  /** The function the queue feeds, as named in serverless.yml. */
  consumer: string;
  /** What its handler declares it consumes (`consumes` beside the handler, imported): the filter must let exactly these through. */
  consumes: readonly string[];
  maxReceiveCount?: number;
  batchSize?: number;
  /** Seconds; six times the consumer's timeout unless the declaration sets it. */
  visibilityTimeout?: number;
}

export interface ServiceTemplateRules extends StageTemplateRules {
  /** The routes its contract lists: `routesOf('<service>')`. */
  routes: ContractRoute[];
  subscriptions?: TemplateSubscription[];
  /** The outbox relay: the function, the table whose stream it reads, and the topic it publishes to. */
  outboxRelay?: { function: string; table: string; topic: string };
  /** Dead-letter queues of the service's schedules (a schedule's Target.DeadLetterConfig), by logical id. */
  scheduleDeadLetterQueues?: string[];
}

/**
 * Reads the packaged template of apps/<service> and registers, as one `it` each, the checks every service's
 * template must pass (see `serviceTemplateChecks`), and those of its dev and prod templates (see
 * `stageTemplateChecks` and `slicWatchChecks`). Returns the local template for the service's own checks.
 */
export function describeServiceTemplate(service: string, rules: ServiceTemplateRules): CfnTemplate {
  const template = requirePackagedTemplate(service);
  const [dev, prod] = SHIPPED_STAGES.map((stage) => requirePackagedTemplate(service, stage));
  describe(`the packaged ${service} template, by the rules every service follows`, () => {
    for (const [name, check] of Object.entries(serviceTemplateChecks(template, service, rules))) it(name, check);
  });
  describe(`the ${service} templates of the stages it ships to, by what each stage asks`, () => {
    const checks = stageTemplateChecks({ dev: dev as CfnTemplate, prod: prod as CfnTemplate }, rules, topicArn('alerts', 'prod'));
    for (const [name, check] of Object.entries(checks)) it(name, check);
  });
  describe(`the ${service} templates of the stages it ships to, by what slic-watch watches`, () => {
    const checks = slicWatchChecks({ dev: dev as CfnTemplate, prod: prod as CfnTemplate }, (stage) => topicArn('alerts', stage));
    for (const [name, check] of Object.entries(checks)) it(name, check);
  });
  return template;
}

/**
 * The checks every service template must pass, by what each one promises: a role per function and least
 * privilege, the shared runtime settings, exactly the routes of its contract, each subscription filtered on what
 * its consumer declares, the outbox relay, partial batch failures on every event source, and an alarm to the
 * alerts topic on every failure queue.
 */
export function serviceTemplateChecks(template: CfnTemplate, service: string, rules: ServiceTemplateRules): Record<string, () => void> {
  const { routes, subscriptions = [], outboxRelay, scheduleDeadLetterQueues = [] } = rules;
  const ofType = (type: string) => Object.entries(template.Resources).filter(([, r]) => r.Type === type);
  const mappingFrom = (source: unknown) =>
    ofType('AWS::Lambda::EventSourceMapping')
      .map(([, r]) => r.Properties)
      .find((m) => JSON.stringify(m?.EventSourceArn) === JSON.stringify(source));
  const checks: Record<string, () => void> = {
    'gives every function a role of its own': () => {
      const functions = ofType('AWS::Lambda::Function').map(([id]) => id);

      expect(functions.length).toBeGreaterThan(0);
      expect(functionRoles(template).map((f) => f.roleId)).toEqual(
        functions.map((id) => id.replace(/LambdaFunction$/, 'IamRoleLambdaExecution')),
      );
    },

    'grants no wildcard action or resource it does not need': () => {
      expect(leastPrivilegeViolations(template)).toEqual([]);
    },

    'runs every function on arm64 Node 22 with active tracing and cost tags': () => {
      for (const [, fn] of ofType('AWS::Lambda::Function')) {
        expect(fn.Properties).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], TracingConfig: { Mode: 'Active' } });
        const tags = Object.fromEntries(((fn.Properties?.Tags ?? []) as { Key: string; Value: string }[]).map((t) => [t.Key, t.Value]));
        expect(tags).toMatchObject({ system: 'storefront', service: `storefront-${service}`, stage: PACKAGED_STAGE });
      }
    },

    'serves exactly the routes its contract in libs/contracts describes': () => {
      expect(deployedRouteKeys(template)).toEqual(routes.map((route) => `${route.method} ${route.template}`).sort());
    },

    "guards every route exactly as its contract's access says: the platform's JWT authorizer and scopes, or none when public": () => {
      const deployed = ofType('AWS::ApiGatewayV2::Route').map(([, r]) => ({
        routeKey: r.Properties?.RouteKey,
        ...(r.Properties?.AuthorizationType === undefined ? {} : { authorizationType: r.Properties?.AuthorizationType }),
        ...(r.Properties?.AuthorizerId === undefined ? {} : { authorizerId: r.Properties?.AuthorizerId }),
        ...(r.Properties?.AuthorizationScopes === undefined ? {} : { scopes: r.Properties?.AuthorizationScopes }),
      }));
      const contracted = routes.map(expectedAuthorization);
      const byKey = (a: { routeKey: unknown }, b: { routeKey: unknown }) => String(a.routeKey).localeCompare(String(b.routeKey));

      expect(deployed.sort(byKey)).toEqual(contracted.sort(byKey));
    },

    'has an event source for each declared subscription and relay, each reporting partial batch failures': () => {
      const mappings = ofType('AWS::Lambda::EventSourceMapping').map(([, r]) => r.Properties);

      expect(mappings).toHaveLength(subscriptions.length + (outboxRelay ? 1 : 0));
      for (const mapping of mappings) expect(mapping?.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
    },

    'alarms to the alerts topic as soon as any failure queue holds a message': () => {
      const expectedQueues = [
        ...subscriptions.map((s) => `${s.queue}DeadLetterQueue`),
        ...(outboxRelay ? ['OutboxFailedQueue'] : []),
        ...scheduleDeadLetterQueues,
      ];
      const queueAlarms = ofType('AWS::CloudWatch::Alarm').filter(([, a]) => a.Properties?.Namespace === 'AWS/SQS');

      expect(failureQueues(template)).toEqual(expectedQueues.sort());
      expect(alertingGaps(template)).toEqual([]);
      for (const [, alarm] of queueAlarms)
        expect(alarm.Properties).toMatchObject({
          MetricName: 'ApproximateNumberOfMessagesVisible',
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          Threshold: 1,
          AlarmActions: [topicArn('alerts')],
        });
    },
  };

  for (const subscription of subscriptions) {
    const { queue, topic, consumes, consumer, maxReceiveCount = 3, batchSize = 10 } = subscription;
    const receives = `${maxReceiveCount} failed receive${maxReceiveCount === 1 ? '' : 's'}`;

    checks[
      `hears only what ${consumer} consumes (${consumes.join(', ')}) from the ${topic} topic on ${queue}Queue, which only that topic may send to, dead-lettered after ${receives}`
    ] = () => {
      const timeout = template.Resources[functionId(consumer)]?.Properties?.Timeout as number;
      const expected = expectedSubscriptionResources({
        queue,
        namePrefix: `storefront-${service}-${PACKAGED_STAGE}`,
        topicArn: topicArn(topic),
        eventTypes: consumes,
        visibilityTimeout: subscription.visibilityTimeout ?? 6 * timeout,
        maxReceiveCount,
      });

      expect(Object.fromEntries(Object.keys(expected).map((id) => [id, template.Resources[id]]))).toEqual(expected);
    };

    checks[`feeds ${consumer} from ${queue}Queue in batches of up to ${batchSize}`] = () => {
      expect(mappingFrom(arnOf(`${queue}Queue`))).toMatchObject({
        FunctionName: arnOf(functionId(consumer)),
        BatchSize: batchSize,
        Enabled: true,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
    };
  }

  if (outboxRelay) {
    const relay = functionId(outboxRelay.function);

    checks[`relays outbox inserts from the ${outboxRelay.table} stream, bisecting and retrying, then parks them on OutboxFailedQueue`] =
      () => {
        expect(mappingFrom({ 'Fn::GetAtt': [outboxRelay.table, 'StreamArn'] })).toMatchObject({
          FunctionName: arnOf(relay),
          BisectBatchOnFunctionError: true,
          MaximumRetryAttempts: 5,
          FunctionResponseTypes: ['ReportBatchItemFailures'],
          DestinationConfig: { OnFailure: { Destination: arnOf('OutboxFailedQueue') } },
          FilterCriteria: { Filters: [{ Pattern: OUTBOX_INSERTS }] },
        });
      };

    checks[`lets only the relay publish, and only to the ${outboxRelay.topic} topic`] = () => {
      const publishing = functionRoles(template).flatMap(({ functionId, statements }) =>
        statements.filter((s) => [s.Action].flat().some((a) => a.startsWith('sns:'))).map((s) => ({ functionId, ...s })),
      );

      expect(publishing).toEqual([{ functionId: relay, Effect: 'Allow', Action: ['sns:Publish'], Resource: topicArn(outboxRelay.topic) }]);
    };
  }

  return checks;
}
