/**
 * The whole system on this machine: emulators, every service's resources
 * (from its packaged template), serverless-offline per service, the event
 * sources Lambda would run (SQS, DynamoDB Streams, S3), and one HTTP gateway.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describeTemplate } from './cloudformation.mjs';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './aws-local.mjs';
import { startDynamoDbLocal, startMessaging } from './emulators.mjs';
import { StackError } from './errors.mjs';
import { compileRoute, startGateway } from './gateway.mjs';
import { packageServices } from './packaging.mjs';
import { checkJava, checkPorts } from './preflight.mjs';
import { ProcessGroup, stopLeftovers } from './processes.mjs';
import { awsClients, provisionResources } from './provision.mjs';
import { s3NotificationHandler } from './s3-source.mjs';
import { composeServices, packagedTemplate, serviceName, workspaceRoot } from './services.mjs';
import { startSqsSource } from './sqs-source.mjs';
import { Checkpoints, startStreamSource } from './stream-source.mjs';
import { Trail } from './trail.mjs';

export const STAGE = 'local';

export function portsFor(basePort, services) {
  const ports = { gateway: basePort, 'DynamoDB Local': basePort + 1, 'SNS/SQS/S3 emulator': basePort + 2 };
  services.forEach((service, i) => {
    ports[`${service.name} http`] = basePort + 10 + 2 * i;
    ports[`${service.name} lambda`] = basePort + 11 + 2 * i;
  });
  return ports;
}

function waitForReady(entry, { name, timeoutMs }) {
  return new Promise((resolve, reject) => {
    const done = (error) => {
      clearInterval(poll);
      clearTimeout(timer);
      if (error) reject(error);
      else resolve();
    };
    const poll = setInterval(() => {
      if (entry.output.some((line) => line.includes('Server ready:'))) done();
      else if (entry.child.exitCode !== null)
        done(new StackError(`${name} exited while starting: ${entry.output.slice(-8).join(' | ')}`, 'fix the error it printed'));
    }, 100);
    const timer = setTimeout(
      () =>
        done(new StackError(`${name} was not ready within ${timeoutMs / 1000} s: ${entry.output.slice(-5).join(' | ')}`, 'see its output')),
      timeoutMs,
    );
  });
}

async function invokeOffline(port, functionName, event) {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/2015-03-31/functions/${functionName}/invocations`, {
      method: 'POST',
      body: JSON.stringify(event),
      headers: { 'content-type': 'application/json' },
    });
    const text = await response.text();
    let payload;
    try {
      payload = text ? JSON.parse(text) : undefined;
    } catch {
      payload = text;
    }
    return { ok: response.ok && !response.headers.get('x-amz-function-error'), payload };
  } catch (error) {
    return { ok: false, payload: { errorMessage: error.message } };
  }
}

/** The correlation ids an event source batch carries: SQS message attributes, or the event inside a stream record. */
function correlationIdsOf(event) {
  const ids = new Set();
  for (const record of event.Records ?? []) {
    const id = record.messageAttributes?.correlationId?.stringValue ?? record.dynamodb?.NewImage?.event?.M?.correlationId?.S;
    ids.add(id);
  }
  return ids.size ? ids : new Set([undefined]);
}

export async function startStack({
  basePort = 4000,
  stateDir = join(workspaceRoot, '.local'),
  fresh = false,
  maxVisibilityTimeout,
  only,
  watch = false,
  progress,
  onServiceLog = () => undefined,
  log = (line) => progress.info(line),
} = {}) {
  const services = composeServices();
  const ports = portsFor(basePort, services);
  const gatewayUrl = `http://localhost:${ports.gateway}`;
  mkdirSync(stateDir, { recursive: true });
  const registry = join(stateDir, 'processes.json');
  const stopped = await stopLeftovers(registry);
  if (stopped) log(`  stopped ${stopped} process(es) an earlier start left running`);
  if (fresh)
    for (const dir of ['dynamodb', 'messaging', 'stream-checkpoints.json']) rmSync(join(stateDir, dir), { recursive: true, force: true });

  await progress.step('preflight (Java, free ports)', async () => {
    checkJava();
    await checkPorts(ports);
  });

  const processes = new ProcessGroup(registry);
  const cleanups = [];
  const stop = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    await processes.stopAll();
  };

  let packaging;
  try {
    const [dynamo, messaging] = await Promise.all([
      progress.step(`DynamoDB Local :${ports['DynamoDB Local']}`, () =>
        startDynamoDbLocal(processes, { port: ports['DynamoDB Local'], dataDir: join(stateDir, 'dynamodb') }),
      ),
      progress.step(`SNS/SQS/S3 emulator :${ports['SNS/SQS/S3 emulator']}`, () =>
        startMessaging({ port: ports['SNS/SQS/S3 emulator'], dataDir: join(stateDir, 'messaging') }),
      ),
      progress.step(`package ${services.length} services`, () =>
        packageServices(services, { stage: STAGE, region: LOCAL_REGION, apiEndpoint: gatewayUrl, quiet: true }),
      ),
    ]).then(([d, m, p]) => {
      packaging = p;
      return [d, m];
    });
    cleanups.push(() => messaging.server.stop());
    const described = services.map((service) => ({
      service,
      template: describeTemplate(packagedTemplate(service), {
        stackName: `${serviceName(service)}-${STAGE}`,
        region: LOCAL_REGION,
        apiEndpoint: gatewayUrl,
      }),
    }));

    const clients = awsClients({ dynamoEndpoint: dynamo.endpoint, messagingEndpoint: messaging.endpoint });
    cleanups.push(async () => Object.values(clients).forEach((client) => client.destroy()));
    await progress.step('tables, topics, queues, subscriptions, buckets', async () => {
      const counts = await provisionResources(clients, described, { log, maxVisibilityTimeout });
      return counts;
    });

    const unknown = (only ?? []).filter((name) => !services.some((s) => s.name === name));
    if (unknown.length)
      throw new StackError(`no service named ${unknown.join(', ')}`, `use one of ${services.map((s) => s.name).join(', ')}`);
    const withFunctions = described.filter(
      ({ service, template }) =>
        (!only || only.includes(service.name)) && template.resources.some((r) => r.type === 'AWS::Lambda::Function'),
    );
    const environment = {
      ...process.env,
      AWS_REGION: LOCAL_REGION,
      AWS_DEFAULT_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ENDPOINT_URL_DYNAMODB_STREAMS: dynamo.endpoint,
      AWS_ENDPOINT_URL_SNS: messaging.endpoint,
      AWS_ENDPOINT_URL_SQS: messaging.endpoint,
      AWS_ENDPOINT_URL_S3: messaging.endpoint,
      POWERTOOLS_METRICS_DISABLED: 'true',
    };
    delete environment.AWS_PROFILE;
    delete environment.AWS_SESSION_TOKEN;

    await Promise.all(
      withFunctions.map(({ service }) =>
        progress.step(`${service.name} (serverless-offline :${ports[`${service.name} http`]})`, async () => {
          const params = packaging.results.get(service.name).params;
          const args = [
            'offline',
            'start',
            '--stage',
            STAGE,
            '--region',
            LOCAL_REGION,
            '--host',
            '127.0.0.1',
            '--noAuth',
            '--noPrependStageInUrl',
            '--httpPort',
            String(ports[`${service.name} http`]),
            '--lambdaPort',
            String(ports[`${service.name} lambda`]),
            ...Object.entries(params).map(([k, v]) => `--param=${k}=${v}`),
            // serverless-esbuild rebuilds on change under offline; reloading the handler per call picks the rebuild up.
            ...(watch ? ['--reloadHandler'] : []),
          ];
          const entry = processes.spawn(service.name, 'serverless', args, {
            cwd: service.dir,
            env: environment,
            onLine: (line) => onServiceLog(service.name, line),
          });
          await waitForReady(entry, { name: `${service.name} (serverless-offline)`, timeoutMs: 90_000 });
        }),
      ),
    );

    const lambdaPortOf = new Map();
    const routes = [];
    for (const { service, template } of withFunctions) {
      for (const resource of template.resources) {
        if (resource.type === 'AWS::Lambda::Function') lambdaPortOf.set(resource.properties.FunctionName, ports[`${service.name} lambda`]);
        if (resource.type === 'AWS::ApiGatewayV2::Route')
          routes.push(compileRoute(resource.properties.RouteKey, { service: service.name, port: ports[`${service.name} http`] }));
      }
    }
    const invoke = (functionName, event) => {
      const port = lambdaPortOf.get(functionName);
      if (!port) return Promise.resolve({ ok: false, payload: { errorMessage: `no local function ${functionName}` } });
      return invokeOffline(port, functionName, event);
    };

    const ownerOfQueue = new Map(
      described.flatMap(({ service, template }) =>
        template.resources.filter((r) => r.type === 'AWS::SQS::Queue').map((r) => [r.name, service.name]),
      ),
    );
    const trail = new Trail({ ownerOfQueue: (queue) => ownerOfQueue.get(queue) });
    const buckets = described.flatMap(({ template }) => template.resources.filter((r) => r.type === 'AWS::S3::Bucket'));
    const onS3Write = s3NotificationHandler({ buckets, s3: clients.s3, invoke, region: LOCAL_REGION, log });
    // The emulator reports every message and S3 write to its spy; the trail and S3 notifications listen there.
    const spy = messaging.server.spy;
    const record = spy.addMessage.bind(spy);
    spy.addMessage = (message) => {
      record(message);
      trail.fromSpy(message);
      onS3Write(message);
    };

    const gateway = await progress.step(`gateway :${ports.gateway}`, () => startGateway({ port: ports.gateway, routes, log, trail }));
    cleanups.push(() => gateway.close());

    const abort = new AbortController();
    const checkpoints = new Checkpoints(join(stateDir, 'stream-checkpoints.json'));
    const sources = [];
    const tracedInvoke = (service) => async (functionName, event) => {
      const result = await invoke(functionName, event);
      for (const correlationId of correlationIdsOf(event)) {
        trail.add({
          kind: result.ok ? 'invoked' : 'invocation-failed',
          service,
          function: functionName,
          records: event.Records?.length,
          correlationId,
        });
      }
      return result;
    };
    for (const { service, template } of described) {
      for (const mapping of template.resources.filter((r) => r.type === 'AWS::Lambda::EventSourceMapping').map((r) => r.properties)) {
        if (mapping.Enabled === false) continue;
        const source = String(mapping.EventSourceArn);
        const context = { mapping, invoke: tracedInvoke(service.name), region: LOCAL_REGION, log, signal: abort.signal };
        if (source.startsWith('arn:aws:sqs:')) sources.push(startSqsSource({ ...context, sqs: clients.sqs }));
        else if (source.includes(':dynamodb:'))
          sources.push(startStreamSource({ ...context, clients, streamsEndpoint: dynamo.endpoint, checkpoints }));
        else log(`  ${service.name}: event source ${source} is not emulated locally`);
      }
    }
    cleanups.push(async () => {
      spy.addMessage = record;
      abort.abort();
      await Promise.allSettled(sources);
    });

    return {
      url: gatewayUrl,
      ports,
      endpoints: { dynamodb: dynamo.endpoint, messaging: messaging.endpoint },
      trail,
      stop,
      services: described,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
