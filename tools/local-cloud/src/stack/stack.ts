/**
 * The whole system on this machine: emulators, every service's resources
 * (from its packaged template), serverless-offline per service, the event
 * sources Lambda would run (SQS, DynamoDB Streams, S3), Step Functions,
 * Secrets Manager, a payment provider, and one HTTP gateway.
 */
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { LOCAL_REGION } from '../common/aws-local.ts';
import { startDynamoDbLocal } from '../emulators/dynamodb/dynamodb-local.ts';
import { startMessaging } from '../emulators/messaging/fauxqs.ts';
import { type ComposeService, composeServices, packageDir, packageServices, StackError, unpackFunctions, workspaceRoot } from '#packaging';
import { startEventSources } from '../event-sources/event-sources.ts';
import { DEFAULT_MAX_IN_FLIGHT, DEFAULT_MAX_QUEUED, FunctionConcurrency, idleCpuSampler, ThrottledError } from './concurrency.ts';
import { CorsPolicy } from '../gateway/cors.ts';
import { compileRoute, type Route, startGateway } from '../gateway/gateway.ts';
import { httpApiSettings, routeAuthorization } from '../gateway/http-api.ts';
import { createIdentityProvider, type IdentityProvider } from '../emulators/identity/identity-provider.ts';
import type { JwtAuthorizer } from '../gateway/jwt-authorizer.ts';
import { RouteThrottle } from '../gateway/throttling.ts';
import { listenToMessages } from '../emulators/messaging/messaging-spy.ts';
import { invokeOffline, localAwsEnvironment, STAGE, startOffline } from './offline.ts';
import { PAYMENT_PROVIDER_SECRET, startPaymentProvider } from '../emulators/payment-provider/payment-provider.ts';
import { checkJava, checkPorts } from './preflight.ts';
import { ProcessGroup, stopLeftovers } from './processes.ts';
import { awsClients, provisionResources } from './provision.ts';
import { s3NotificationHandler } from '../event-sources/s3-source.ts';
import type { Progress } from '../common/progress.ts';
import { provisionSecrets, startSecretsManager } from '../emulators/secrets-manager/secrets-manager.ts';
import {
  baseUrlFor,
  describeServices,
  endpointsFor,
  functionEnvironmentsOf,
  type LocalCloudEndpoints,
  portsFor,
  resourcesOf,
} from './layout.ts';
import { schedulesOf, startScheduler } from '../event-sources/schedules.ts';
import { startStepFunctions, stateMachinesOf } from '../emulators/step-functions/step-functions.ts';
import { Trail } from './trail.ts';
import type { DescribedService, Invoke, Log } from '../common/types.ts';
import { startMeteredEndpoints } from '../metering/metered-endpoints.ts';
import type { InvocationSource, UsageMeter } from '../metering/usage-meter.ts';

/**
 * The function behind each HTTP API route, and the integration's timeout, from the route's integration; and the
 * authorizer and scopes it names, if any.
 */
function routeTargets(running: DescribedService[], ports: Record<string, number>, authorizers: JwtAuthorizer[]): Route[] {
  const integrations = new Map(resourcesOf(running, 'AWS::ApiGatewayV2::Integration').map((i) => [i.name, i.properties]));
  return resourcesOf(running, 'AWS::ApiGatewayV2::Route').map((r) => {
    const integration = integrations.get(String(r.properties.Target).split('/').at(-1) as string) ?? {};
    return compileRoute(r.properties.RouteKey, {
      authorization: routeAuthorization(r.properties, authorizers),
      service: r.service,
      port: ports[`${r.service} http`] as number,
      functionName: String(integration.IntegrationUri ?? r.properties.RouteKey)
        .split(':')
        .at(-1) as string,
      timeoutMs: Number(integration.TimeoutInMillis ?? 30_000),
    });
  });
}

/**
 * Invokes a function through its service's offline Lambda port, within the function's concurrency limit; answers
 * the invoker of each kind of caller, so a usage meter can tell the schedules' work from the rest.
 */
function invoker(
  running: DescribedService[],
  ports: Record<string, number>,
  concurrency: FunctionConcurrency,
  signal: AbortSignal,
  meter: UsageMeter | undefined,
): (source: InvocationSource) => Invoke {
  const lambdaPortOf = new Map(
    resourcesOf(running, 'AWS::Lambda::Function').map((f): [string, number | undefined] => [
      f.properties.FunctionName,
      ports[`${f.service} lambda`],
    ]),
  );
  return (source) =>
    async (functionName, event, { onStart } = {}) => {
      const port = lambdaPortOf.get(functionName);
      if (!port)
        return { ok: false, payload: { errorMessage: `no local function ${functionName}`, errorType: 'ResourceNotFoundException' } };
      meter?.invoked(functionName, source);
      try {
        return await concurrency.run(functionName, () => {
          onStart?.();
          return invokeOffline(port, functionName, event, signal);
        });
      } catch (error) {
        if (error instanceof ThrottledError)
          return { ok: false, payload: { errorMessage: error.message, errorType: 'TooManyRequestsException' } };
        throw error;
      }
    };
}

/** The service's packaged functions unpacked in the state folder (anew at every start), for offline to run. */
function unpackedBundles(service: ComposeService, stateDir: string): string {
  const folder = join(stateDir, 'bundles', service.name);
  unpackFunctions(packageDir(service, STAGE), folder);
  return folder;
}

/** The params of the local stack's own making (`paymentProviderUrl`) that a service's serverless.yml reads. */
function paramsUsedBy(service: ComposeService, localParams: Record<string, string>): Record<string, string> {
  const config = readFileSync(join(service.dir, 'serverless.yml'), 'utf8');
  return Object.fromEntries(Object.entries(localParams).filter(([name]) => config.includes(`param:${name}`)));
}

export interface StackOptions {
  basePort?: number;
  stateDir?: string;
  fresh?: boolean;
  maxVisibilityTimeout?: number | undefined;
  only?: string[] | undefined;
  params?: Record<string, Record<string, string>>;
  watch?: boolean;
  concurrency?: { maxInFlight: number; maxQueued: number };
  /** The share of calls (0..1) the local payment provider fails with an error or a timeout. */
  paymentFaults?: number;
  progress: Progress;
  onServiceLog?: (service: string, line: string) => void;
  log?: Log;
  /** Counts what the run does on AWS's meters (`npm run cost`): requests to the emulators go through counting proxies. */
  meter?: UsageMeter | undefined;
}

/** A running local cloud, in this process. */
export interface RunningStack {
  /** The gateway: the HTTP API's URL. */
  baseUrl: string;
  basePort: number;
  /** The local stand-in for the user pool: it signs the tokens the gateway's authorizers accept. */
  identity: IdentityProvider;
  ports: Record<string, number>;
  endpoints: LocalCloudEndpoints;
  trail: Trail;
  stop: () => Promise<void>;
}

export async function startStack({
  basePort = 4000,
  stateDir = join(workspaceRoot, '.local'),
  fresh = false,
  maxVisibilityTimeout,
  only,
  params = {},
  watch = false,
  concurrency = { maxInFlight: DEFAULT_MAX_IN_FLIGHT, maxQueued: DEFAULT_MAX_QUEUED },
  paymentFaults = 0,
  progress,
  onServiceLog: echoServiceLog = () => undefined,
  log = (line) => progress.info(line),
  meter,
}: StackOptions): Promise<RunningStack> {
  const onServiceLog = (service: string, line: string) => {
    meter?.serviceLine(service, line);
    echoServiceLog(service, line);
  };
  const services = composeServices();
  const unknown = [...(only ?? []), ...Object.keys(params)].filter((name) => !services.some((s) => s.name === name));
  if (unknown.length)
    throw new StackError(`no service named ${unknown.join(', ')}`, `use one of ${services.map((s) => s.name).join(', ')}`);
  const ports = portsFor(basePort, services);
  const gatewayUrl = baseUrlFor(basePort);
  mkdirSync(stateDir, { recursive: true });
  const registry = join(stateDir, 'processes.json');
  const stopped = await stopLeftovers(registry);
  if (stopped) log(`  stopped ${stopped} process(es) an earlier start left running`);
  if (fresh)
    for (const entry of ['dynamodb', 'messaging', 'stream-checkpoints.json'])
      rmSync(join(stateDir, entry), { recursive: true, force: true });

  await progress.step('preflight (Java, free ports)', async () => {
    checkJava();
    await checkPorts(ports);
  });

  const processes = new ProcessGroup(registry);
  const cleanups: (() => Promise<unknown>)[] = [];
  // Stopping cuts invocations still waiting on a function, so no poller holds the stack open.
  const stopping = new AbortController();
  const stop = async () => {
    stopping.abort();
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    await processes.stopAll();
  };

  try {
    // 1. Emulators, the payment provider and packaging, side by side.
    const [dynamo, messaging, secretsManager, paymentProvider, packaging] = await Promise.all([
      progress.step(`DynamoDB Local :${ports['DynamoDB Local']}`, async () => {
        const started = await startDynamoDbLocal(processes, {
          port: ports['DynamoDB Local'] as number,
          dataDir: join(stateDir, 'dynamodb'),
        });
        if (started.note) log(`  ${started.note}`);
        return started;
      }),
      progress.step(`SNS/SQS/S3 emulator :${ports['SNS/SQS/S3 emulator']}`, async () => {
        const started = await startMessaging({ port: ports['SNS/SQS/S3 emulator'] as number, dataDir: join(stateDir, 'messaging') });
        cleanups.push(() => started.server.stop());
        return started;
      }),
      progress.step(`Secrets Manager :${ports['Secrets Manager']}`, async () => {
        const started = await startSecretsManager({ port: ports['Secrets Manager'] as number, region: LOCAL_REGION });
        cleanups.push(() => started.close());
        return started;
      }),
      progress.step(
        `payment provider :${ports['payment provider']}${paymentFaults ? ` (${paymentFaults} of calls fail)` : ''}`,
        async () => {
          const started = await startPaymentProvider({ port: ports['payment provider'] as number, faultRate: paymentFaults });
          cleanups.push(() => started.close());
          return started;
        },
      ),
      progress.step(`package ${services.length} services`, () =>
        packageServices(services, { stage: STAGE, region: LOCAL_REGION, apiEndpoint: gatewayUrl, quiet: true }),
      ),
    ]);

    // 2. Every service's resources, read from its packaged template.
    const described = describeServices(services, { apiEndpoint: gatewayUrl });
    const clients = awsClients({ dynamoEndpoint: dynamo.endpoint, messagingEndpoint: messaging.endpoint });
    cleanups.push(async () => Object.values(clients).forEach((client) => client.destroy()));
    await progress.step('tables, topics, queues, subscriptions, buckets, secrets', async () => {
      await provisionResources(clients, described, { log, maxVisibilityTimeout });
      provisionSecrets(secretsManager.secrets, described, {
        localValues: { [PAYMENT_PROVIDER_SECRET.name]: PAYMENT_PROVIDER_SECRET.value },
        log,
      });
    });

    // 3. The services' functions, each service in its own serverless-offline.
    const running = described.filter(
      ({ service, template }) =>
        (!only || only.includes(service.name)) && template.resources.some((r) => r.type === 'AWS::Lambda::Function'),
    );
    const stepFunctionsUrl = `http://127.0.0.1:${ports['Step Functions']}`;
    const emulatorEndpoints = { dynamodb: dynamo.endpoint, messaging: messaging.endpoint, secretsManager: secretsManager.url };
    const metered = meter ? await startMeteredEndpoints(meter, emulatorEndpoints, running) : undefined;
    if (metered) cleanups.push(metered.close);
    const environment = localAwsEnvironment({ ...(metered?.endpoints ?? emulatorEndpoints), stepFunctions: stepFunctionsUrl });
    const localParams = { paymentProviderUrl: paymentProvider.url };
    await Promise.all(
      running.map(({ service, template }) =>
        progress.step(`${service.name} (serverless-offline :${ports[`${service.name} http`]})`, () =>
          startOffline(processes, {
            service,
            // Offline runs the bundles just packaged, as Lambda runs the zips; watching, it builds and rebuilds its own.
            bundles: watch ? undefined : unpackedBundles(service, stateDir),
            // Overrides reach the running functions only; the packaged template (and its digest) keeps compose's values.
            params: { ...packaging.results.get(service.name)?.params, ...paramsUsedBy(service, localParams), ...params[service.name] },
            httpPort: ports[`${service.name} http`] as number,
            lambdaPort: ports[`${service.name} lambda`] as number,
            environment,
            functionEnvironments: functionEnvironmentsOf({ service, template }),
            watch,
            onLine: (line) => onServiceLog(service.name, line),
          }),
        ),
      ),
    );

    // 4. What connects them: the trail, S3 notifications, the gateway, the event source mappings.
    const cpu = idleCpuSampler();
    cleanups.push(async () => cpu.stop());
    const limits = new FunctionConcurrency({ ...concurrency, hasIdleCpu: cpu.hasIdleCpu });
    const invokeFrom = invoker(running, ports, limits, stopping.signal, meter);
    const invoke = invokeFrom('event-source');
    const api = httpApiSettings(described);
    const routes = routeTargets(running, ports, api.authorizers);
    // The local issuer signs for the first authorizer's issuer and client: the platform's, the only one there is.
    const [authorizer] = api.authorizers;
    const identity = await createIdentityProvider({
      issuer: authorizer?.issuer ?? 'http://localhost/no-authorizer',
      clientId: authorizer?.audience[0] ?? 'no-client',
      ...(api.accessTokenSeconds ? { lifetimeSeconds: api.accessTokenSeconds } : {}),
    });
    const ownerOfQueue = new Map(resourcesOf(described, 'AWS::SQS::Queue').map((q) => [q.name, q.service]));
    const trail = new Trail({ ownerOfQueue: (queue) => (queue === undefined ? undefined : ownerOfQueue.get(queue)) });
    const machines = stateMachinesOf(running);
    const stepFunctions = await progress.step(
      `Step Functions :${ports['Step Functions']} (${machines.length} state machine${machines.length === 1 ? '' : 's'})`,
      () =>
        startStepFunctions({
          port: ports['Step Functions'] as number,
          machines,
          invoke: invokeFrom('step-functions'),
          record: (entry) => {
            trail.add(entry);
            if (entry.kind === 'state-entered') meter?.stateEntered();
          },
        }),
    );
    cleanups.push(() => stepFunctions.close());
    const schedules = schedulesOf(running);
    const scheduler = await progress.step(`schedules :${ports.schedules} (${schedules.length})`, () =>
      startScheduler({
        port: ports.schedules as number,
        schedules,
        invoke: invokeFrom('schedule'),
        stepFunctions: stepFunctions.stepFunctions,
        sqs: clients.sqs,
        record: (entry) => trail.add(entry),
        log,
      }),
    );
    cleanups.push(() => scheduler.close());
    for (const line of scheduler.lines) log(`  ${line}`);
    const onS3Write = s3NotificationHandler({
      buckets: resourcesOf(described, 'AWS::S3::Bucket'),
      s3: clients.s3,
      invoke: invokeFrom('s3'),
      region: LOCAL_REGION,
      log,
    });
    // Every message and S3 write the emulator records feeds the trail and S3 notifications.
    const stopListening = listenToMessages(messaging.server, (message) => {
      trail.fromSpy(message);
      onS3Write(message);
    });
    cleanups.push(async () => stopListening());
    const gateway = await progress.step(`gateway :${ports.gateway}`, () =>
      startGateway({
        port: ports.gateway as number,
        routes,
        log,
        trail,
        concurrency: limits,
        identity,
        throttle: new RouteThrottle(api.stage),
        cors: api.cors ? new CorsPolicy(api.cors) : undefined,
        onForward: (functionName) => meter?.invoked(functionName, 'http'),
      }),
    );
    cleanups.push(() => gateway.close());
    // The pollers' SQS requests are Lambda's own on AWS, billed to the account: a metered stack counts them too.
    const sourceClients = metered ? { ...clients, sqs: metered.pollerSqs } : clients;
    cleanups.push(
      startEventSources({
        described,
        clients: sourceClients,
        dynamoEndpoint: dynamo.endpoint,
        invoke,
        trail,
        stateDir,
        log,
        maxInFlight: concurrency.maxInFlight,
      }),
    );

    return { baseUrl: gatewayUrl, basePort, identity, ports, endpoints: endpointsFor(basePort), trail, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
