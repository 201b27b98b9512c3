/**
 * The cold-start figure of `npm run bench`: every packaged function started as
 * Lambda starts it, in a fresh Node 22 process, from its zip as Lambda unpacks
 * it, with the environment its packaged template gives it (NODE_OPTIONS
 * included, so source maps as deployed) pointed at the running local stack's
 * emulators, and the variables Lambda itself sets (tracing on, to a stand-in
 * X-Ray daemon); then imported and invoked once with a realistic first event.
 *
 * A shared 2-core machine makes absolute times meaningless, so each run is
 * paired with an empty Node process started right beside it, and the figure is
 * the median of the differences (and of the ratios) over the pairs. Functions
 * that trace (HTTP routes, workflow tasks) also run with tracing off, which
 * gives tracing's cost the same way. Three more runs per function are profiled
 * (--cpu-prof) for the breakdown written to `.bench/cold-starts.md`.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { type ComposeService, composeServices, workspaceRoot } from '#packaging';
import { bundleByPackage, cpuByPackage, type CpuBreakdown, type PhaseMarks, type Share, topShares } from './breakdown.ts';
import { firstEvent, runIds, s3ObjectKey, type Trigger, triggerOf } from './first-events.ts';
import { buildFloorBundle, CALL_OBSERVER, type FloorTable, floorCalls, type SdkCall } from './sdk-floor.ts';
import { zipEntries } from '../bundle-size/zip.ts';
import { median, rotation } from '../figures.ts';
import {
  LOCAL_CREDENTIALS,
  LOCAL_REGION,
  describeServices,
  localAwsEnvironment,
  portsFor,
  resourcesOf,
  type ServiceResource,
} from '#local-cloud';

/** Budgets on the difference to an empty Node process, in ms: `http`, `default`, or one `<service>/<function>`. */
export type ColdStartBudgets = Record<string, number>;

export interface ColdStartOptions {
  /** The base port of the running local stack (its emulators are on the ports after it). */
  basePort: number;
  apiEndpoint: string;
  pairs: number;
  /**
   * Also time each HTTP function with a V8 compile cache (NODE_COMPILE_CACHE) made by one run of its own, as a zip
   * could ship it: what the cache would save, paired round by round (a trial: no function ships one, see
   * docs/architecture.md).
   */
  compileCache?: boolean;
  budgets: ColdStartBudgets;
  /** Budgets on an HTTP function's difference to its SDK floor, in ms: `http`, or one `<service>/<function>`. */
  floorBudgets?: ColdStartBudgets;
  /** `<service>/<function>` names to measure; all when empty. */
  only?: string[];
  reportFile: string;
}

export interface ColdStartFigure {
  name: string;
  trigger: Trigger['kind'];
  codeKiB: number;
  /** Medians over the pairs: the function's process minus the empty one, and divided by it. */
  overEmptyMs: number;
  ratio: number;
  /** Medians, measured inside the function's process. */
  importMs: number;
  firstCallMs: number;
  /** Median of (traced − untraced) for functions that trace. */
  tracingMs?: number;
  /** With `compileCache`: medians of (without − with) a compile cache, wall and CPU time of import + first call. */
  compileCache?: { savesMs: number; savesCpuMs: number };
  /** Calls (AWS SDK or other HTTP) a traced cold start sent X-Ray as subsegments. */
  subsegments?: number;
  outcome: string;
  budget: number;
  /** HTTP functions: the SDK floor (sdk-floor.ts) timed in the same runs; or why it could not be built. */
  sdkFloor?: SdkFloorFigure;
  sdkFloorMissing?: string;
}

export interface SdkFloorFigure {
  /** The calls the floor makes, as the function made them: `dynamodb GetItem`. */
  calls: string[];
  documentClient: boolean;
  /** Medians over the rounds: the floor's process minus the empty one (wall), and the floor's import and first call (CPU). */
  overEmptyMs: number;
  cpuMs: number;
  /**
   * The budgeted figure: median of the function's import and first invocation minus the floor's, in CPU time (the
   * process's, every thread). On a quiet machine it is what the wall-clock difference is (both make the same calls and
   * wait the same on them); on a busy one it stays put where wall-clock differences swing by tens of ms.
   */
  overFloorCpuMs: number;
  /** Medians of wall-clock differences, for reference: whole processes, and import + first invocation. */
  overFloorMs: number;
  overFloorStartMs: number;
  outcome: string;
  budget: number | undefined;
}

/**
 * The stand-in for Lambda's runtime: imports the handler, invokes it once with the event
 * and a context, reports the phases on fd 3 and exits (an SDK keep-alive socket would hold it).
 */
const HARNESS = `import { readFileSync, writeSync } from 'node:fs';
const [bundle, exportName, eventFile] = process.argv.slice(2);
const { event, context } = JSON.parse(readFileSync(eventFile, 'utf8'));
const now = () => Number(process.hrtime.bigint() / 1000n);
const importStarted = now();
const cpuAtImport = process.cpuUsage();
const loaded = await import(bundle);
const imported = now();
let outcome;
try {
  const result = await loaded[exportName](event, { ...context, getRemainingTimeInMillis: () => 10000 });
  outcome = result && typeof result === 'object'
    ? { statusCode: result.statusCode, failures: result.batchItemFailures?.length, outcome: result.outcome, status: result.status }
    : { result: typeof result };
} catch (error) {
  outcome = { threw: error?.name ?? String(error), message: String(error?.message ?? '').slice(0, 200) };
}
const invoked = now();
const cpu = process.cpuUsage(cpuAtImport);
writeSync(3, JSON.stringify({ importStarted, imported, invoked, cpuMicros: cpu.user + cpu.system, outcome }));
process.exit(0);
`;

interface Run {
  wallMs: number;
  /** CPU time of the import and the first invocation (the process's, all its threads). */
  cpuMs: number;
  marks: PhaseMarks;
  outcome: Record<string, unknown>;
}

interface Target {
  service: ComposeService;
  name: string;
  functionName: string;
  trigger: Trigger;
  /** Where the zip is unpacked, as /var/task on Lambda. */
  taskRoot: string;
  bundle: string;
  /** As the template names it (`src/handlers/get-order.handler`), its source file and its export. */
  handler: string;
  handlerFile: string;
  exportName: string;
  environment: NodeJS.ProcessEnv;
  budget: number;
  /** The DynamoDB table its environment names (for its SDK floor's calls), when it names one of its service's tables. */
  table?: FloorTable;
  floorBudget?: number;
}

/** The table a function's environment names, with its key, from its service's template. */
function tableOf(variables: Record<string, string>, resources: ServiceResource[]): FloorTable | undefined {
  for (const table of resources.filter((r) => r.type === 'AWS::DynamoDB::Table')) {
    const variable = Object.keys(variables).find((name) => variables[name] === table.properties.TableName);
    const keys: { AttributeName: string; KeyType: string }[] = table.properties.KeySchema ?? [];
    const hashKey = keys.find((k) => k.KeyType === 'HASH')?.AttributeName;
    const rangeKey = keys.find((k) => k.KeyType === 'RANGE')?.AttributeName;
    if (variable && hashKey) return { variable, hashKey, ...(rangeKey ? { rangeKey } : {}) };
  }
  return undefined;
}

const PROFILED_RUNS = 3;

/** Each origin's median over the runs (an origin missing from a run counts as 0 there). */
function medianBreakdown(runs: CpuBreakdown[]): CpuBreakdown {
  const phase = (pick: (run: CpuBreakdown) => Share[]): Share[] => {
    const labels = new Set(runs.flatMap((run) => pick(run).map((share) => share.label)));
    return [...labels]
      .map((label) => ({ label, amount: median(runs.map((run) => pick(run).find((share) => share.label === label)?.amount ?? 0)) }))
      .filter((share) => share.amount > 0)
      .sort((a, b) => b.amount - a.amount);
  };
  return { importing: phase((run) => run.importing), firstCall: phase((run) => run.firstCall) };
}

const traces = (trigger: Trigger) => trigger.kind === 'http' || trigger.kind === 'workflow task';

/** The variables Lambda sets in every function's process, for one invocation's trace. */
function lambdaEnvironment(functionName: string, taskRoot: string, handler: string, traceId: string, xrayDaemon: string) {
  return {
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    AWS_LAMBDA_FUNCTION_NAME: functionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${functionName}`,
    AWS_LAMBDA_LOG_STREAM_NAME: 'bench',
    LAMBDA_TASK_ROOT: taskRoot,
    _HANDLER: handler,
    TZ: ':UTC',
    AWS_XRAY_DAEMON_ADDRESS: xrayDaemon,
    AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
    _X_AMZN_TRACE_ID: `Root=${traceId};Parent=${'0'.repeat(15)}1;Sampled=1`,
  };
}

const newTraceId = () => `1-${Math.floor(Date.now() / 1000).toString(16)}-${randomUUID().replace(/-/g, '').slice(0, 24)}`;

/** Every packaged function, unpacked as Lambda would, with its trigger and environment. */
function targets(options: ColdStartOptions, workDir: string): Target[] {
  const ports = portsFor(options.basePort, composeServices());
  const emulators = localAwsEnvironment({
    dynamodb: `http://127.0.0.1:${ports['DynamoDB Local']}`,
    messaging: `http://127.0.0.1:${ports['SNS/SQS/S3 emulator']}`,
    stepFunctions: `http://127.0.0.1:${ports['Step Functions']}`,
    secretsManager: `http://127.0.0.1:${ports['Secrets Manager']}`,
  });
  // Only what points the SDK at the emulators; the bench's own environment stays out of the function's.
  const aws = Object.fromEntries(Object.entries(emulators).filter(([name]) => name.startsWith('AWS_')));
  const described = describeServices(composeServices(), { apiEndpoint: options.apiEndpoint });
  const found: Target[] = [];
  for (const { service } of described) {
    const resources = resourcesOf(described, 'AWS::Lambda::Function').filter((f) => f.service === service.name);
    const all = described.flatMap(({ service: s, template }) =>
      template.resources.map((r) => ({ ...r, service: s.name }) as ServiceResource),
    );
    for (const fn of resources) {
      const key = String(fn.properties.Code?.S3Key ?? '')
        .split('/')
        .at(-1)
        ?.replace(/\.zip$/, '');
      if (!key) continue;
      const name = `${service.name}/${key}`;
      if (options.only?.length && !options.only.includes(name)) continue;
      const trigger = triggerOf(
        fn.name,
        all.filter((r) => r.service === service.name),
      );
      if (!trigger) throw new Error(`${name}: no trigger found in its template, so the bench has no first event for it`);
      const handler = String(fn.properties.Handler);
      const exportName = handler.split('.').at(-1) as string;
      const handlerFile = `${handler.slice(0, handler.lastIndexOf('.'))}.ts`;
      const taskRoot = join(workDir, service.name, key);
      for (const entry of zipEntries(readFileSync(join(service.dir, '.serverless', `${key}.zip`)))) {
        mkdirSync(dirname(join(taskRoot, entry.name)), { recursive: true });
        writeFileSync(join(taskRoot, entry.name), entry.read());
      }
      const variables: Record<string, string> = fn.properties.Environment?.Variables ?? {};
      const environment: NodeJS.ProcessEnv = {
        PATH: process.env.PATH,
        LANG: 'en_US.UTF-8',
        ...aws,
        ...variables,
        // The local stack hands the payments functions its payment provider as a param override; so does the bench.
        ...(variables.PAYMENT_PROVIDER_URL ? { PAYMENT_PROVIDER_URL: `http://127.0.0.1:${ports['payment provider']}` } : {}),
      };
      const kind = trigger.kind === 'http' ? 'http' : 'default';
      const table = tableOf(
        variables,
        all.filter((r) => r.service === service.name),
      );
      found.push({
        service,
        name,
        functionName: fn.name,
        trigger,
        taskRoot,
        bundle: pathToFileURL(join(taskRoot, handlerFile.replace(/\.ts$/, '.mjs'))).href,
        handler,
        handlerFile,
        exportName,
        environment,
        budget: (options.budgets[name] ?? options.budgets[kind] ?? options.budgets.default) as number,
        ...(table ? { table } : {}),
        floorBudget: options.floorBudgets?.[name] ?? options.floorBudgets?.[kind],
      });
    }
  }
  return found;
}

/** The catalogue file S3-triggered functions read: a header and two products. */
async function uploadS3Objects(found: Target[], endpoint: string): Promise<void> {
  const s3 = new S3Client({ region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, endpoint, forcePathStyle: true });
  try {
    for (const { trigger } of found) {
      if (trigger.kind !== 's3') continue;
      const body = 'sku,name,price,currency,stock\nBENCH-COLD-1,Cold start,1250,EUR,10\nBENCH-COLD-2,Cold start two,990,EUR,5\n';
      await s3.send(new PutObjectCommand({ Bucket: trigger.bucket, Key: s3ObjectKey(trigger), Body: body }));
    }
  } finally {
    s3.destroy();
  }
}

/** One X-Ray daemon stand-in: counts the calls (SDK and HTTP subsegments) each trace received. */
async function xrayDaemon() {
  const socket = createSocket('udp4');
  const received = new Map<string, number>();
  // A document is the handler's subsegment with its calls nested, or (when that is too big for one datagram) one call.
  socket.on('message', (message) => {
    const document = message.toString('utf8').split('\n').slice(1).join('\n');
    try {
      const {
        trace_id: traceId,
        namespace,
        subsegments = [],
      } = JSON.parse(document) as { trace_id?: string; namespace?: string; subsegments?: unknown[] };
      if (traceId) received.set(traceId, (received.get(traceId) ?? 0) + subsegments.length + (namespace ? 1 : 0));
    } catch {
      // Not a segment document: nothing to count.
    }
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${socket.address().port}`,
    // Datagrams wait in the socket while a run holds the event loop; let them in before counting.
    count: async (traceId: string) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      return received.get(traceId) ?? 0;
    },
    close: () => socket.close(),
  };
}

export async function measureColdStarts(options: ColdStartOptions): Promise<ColdStartFigure[]> {
  const workDir = mkdtempSync(join(tmpdir(), 'storefront-cold-starts-'));
  const daemon = await xrayDaemon();
  try {
    const harness = join(workDir, 'harness.mjs');
    const empty = join(workDir, 'empty.mjs');
    writeFileSync(harness, HARNESS);
    writeFileSync(empty, '');
    const observer = join(workDir, 'observe-sdk-calls.mjs');
    writeFileSync(observer, CALL_OBSERVER);
    const found = targets(options, workDir);
    await uploadS3Objects(found, `http://127.0.0.1:${portsFor(options.basePort, composeServices())['SNS/SQS/S3 emulator']}`);

    const timed = (args: string[], env: NodeJS.ProcessEnv) => {
      const started = process.hrtime.bigint();
      const result = spawnSync(process.execPath, args, {
        env,
        stdio: ['ignore', 'pipe', 'pipe', 'pipe', 'pipe'],
        maxBuffer: 16 * 1024 * 1024,
      });
      return { wallMs: Number(process.hrtime.bigint() - started) / 1e6, result };
    };
    const emptyEnv = { PATH: process.env.PATH, LANG: 'en_US.UTF-8' };
    const runEmpty = () => timed([empty], emptyEnv).wallMs;
    const runFunction = (
      target: Target,
      { traced, traceId, extraArgs = [], observe = false }: { traced: boolean; traceId: string; extraArgs?: string[]; observe?: boolean },
    ): Run & { calls?: SdkCall[] } => {
      const ids = runIds();
      const eventFile = join(workDir, `${ids.requestId}.json`);
      const context = {
        functionName: target.functionName,
        functionVersion: '$LATEST',
        invokedFunctionArn: `arn:aws:lambda:${LOCAL_REGION}:000000000000:function:${target.functionName}`,
        memoryLimitInMB: '256',
        awsRequestId: ids.requestId,
        logGroupName: `/aws/lambda/${target.functionName}`,
        logStreamName: 'bench',
        callbackWaitsForEmptyEventLoop: true,
      };
      writeFileSync(eventFile, JSON.stringify({ event: firstEvent(target.trigger, target.service.name, ids), context }));
      const env = {
        ...target.environment,
        ...lambdaEnvironment(target.functionName, target.taskRoot, target.handler, traceId, daemon.address),
        ...(traced ? {} : { POWERTOOLS_TRACE_ENABLED: 'false' }),
      };
      const observing = observe ? ['--import', pathToFileURL(observer).href] : [];
      const { wallMs, result } = timed([...observing, ...extraArgs, harness, target.bundle, target.exportName, eventFile], env);
      rmSync(eventFile, { force: true });
      const report = result.output[3]?.toString() ?? '';
      if (result.status !== 0 || !report)
        throw new Error(
          `${target.name} did not start (exit ${result.status}):\n${result.stderr.toString().slice(-2000) || result.stdout.toString().slice(-2000)}`,
        );
      const { outcome, cpuMicros, ...marks } = JSON.parse(report) as PhaseMarks & { outcome: Record<string, unknown>; cpuMicros: number };
      return {
        wallMs,
        cpuMs: cpuMicros / 1000,
        marks,
        outcome,
        ...(observe ? { calls: JSON.parse(result.output[4]?.toString() || '[]') as SdkCall[] } : {}),
      };
    };

    // A first run of each function warms the emulators' side of its calls and checks that it starts at all.
    const firstOutcome = new Map<string, Record<string, unknown>>();
    for (const target of found) firstOutcome.set(target.name, runFunction(target, { traced: true, traceId: newTraceId() }).outcome);

    // Each HTTP function's SDK floor: the calls of a first invocation (observed in one more run), bundled as the function is.
    const bundles = new Map<string, Awaited<ReturnType<typeof bundleByPackage>>>();
    const bundleOf = async (target: Target) => {
      if (!bundles.has(target.name)) bundles.set(target.name, await bundleByPackage(target.service.dir, target.handlerFile));
      return bundles.get(target.name) as Awaited<ReturnType<typeof bundleByPackage>>;
    };
    const floors = new Map<string, { target: Target; calls: string[]; documentClient: boolean; outcome: string }>();
    // A function whose floor cannot be built (a call with no recipe yet) is measured without one and reported so.
    const floorMissing = new Map<string, string>();
    for (const target of found) {
      if (target.trigger.kind !== 'http') continue;
      const { calls = [] } = runFunction(target, { traced: true, traceId: newTraceId(), observe: true });
      const documentClient = (await bundleOf(target)).shares.some((share) => share.label === '@aws-sdk/lib-dynamodb');
      const spec = { calls, documentClient, ...(target.table ? { table: target.table } : {}) };
      try {
        floorCalls(spec);
      } catch (error) {
        floorMissing.set(target.name, (error as Error).message);
        continue;
      }
      const floorDir = join(workDir, 'sdk-floors', target.name.replace('/', '-'));
      mkdirSync(floorDir, { recursive: true });
      const floorTarget: Target = {
        ...target,
        name: `${target.name} (SDK floor)`,
        bundle: pathToFileURL(await buildFloorBundle(spec, target.service.dir, floorDir)).href,
        exportName: 'handler',
      };
      const outcome = describeOutcome(runFunction(floorTarget, { traced: true, traceId: newTraceId() }).outcome);
      floors.set(target.name, { target: floorTarget, calls: calls.map((c) => `${c.service} ${c.operation}`), documentClient, outcome });
    }

    // The compile-cache trial: the cache made by one untimed run of the function where it is unpacked (entries are keyed
    // by the module's path), then read by one more run each round.
    const compileCacheOf = new Map<string, Target>();
    for (const target of options.compileCache ? found : []) {
      if (target.trigger.kind !== 'http') continue;
      const cached = { ...target, environment: { ...target.environment, NODE_COMPILE_CACHE: join(workDir, 'compile-cache', target.name) } };
      runFunction(cached, { traced: true, traceId: newTraceId() });
      compileCacheOf.set(target.name, cached);
    }

    const series = [
      'over',
      'ratio',
      'importMs',
      'firstCallMs',
      'tracing',
      'subsegments',
      'floorOverEmpty',
      'overFloor',
      'overFloorStart',
      'overFloorCpu',
      'floorCpu',
      'cacheSaves',
      'cacheSavesCpu',
    ] as const;
    const samples = new Map(
      found.map((t) => [
        t.name,
        Object.fromEntries(series.map((name) => [name, [] as number[]])) as Record<(typeof series)[number], number[]>,
      ]),
    );
    // Round by round, every function in turn, so each function's pairs spread over the whole measurement.
    for (let round = 0; round < options.pairs; round++) {
      for (const target of found) {
        const sample = samples.get(target.name) as NonNullable<ReturnType<typeof samples.get>>;
        const traceId = newTraceId();
        const floor = floors.get(target.name);
        // Which of the pair (or the three, with an SDK floor) goes first turns round by round, so none always meets
        // another's leftovers.
        const order = rotation(floor ? ['empty', 'function', 'floor'] : ['empty', 'function'], round);
        let traced: Run | undefined;
        let emptyMs = 0;
        let floorRun: Run | undefined;
        for (const run of order) {
          if (run === 'empty') emptyMs = runEmpty();
          else if (run === 'function') traced = runFunction(target, { traced: true, traceId });
          else if (floor) floorRun = runFunction(floor.target, { traced: true, traceId: newTraceId() });
        }
        if (!traced) throw new Error('unreachable: every round runs the function');
        if (floorRun) {
          const startMs = (run: Run) => (run.marks.invoked - run.marks.importStarted) / 1000;
          sample.floorOverEmpty.push(floorRun.wallMs - emptyMs);
          sample.overFloor.push(traced.wallMs - floorRun.wallMs);
          sample.overFloorStart.push(startMs(traced) - startMs(floorRun));
          sample.overFloorCpu.push(traced.cpuMs - floorRun.cpuMs);
          sample.floorCpu.push(floorRun.cpuMs);
        }
        sample.over.push(traced.wallMs - emptyMs);
        sample.ratio.push(traced.wallMs / emptyMs);
        sample.importMs.push((traced.marks.imported - traced.marks.importStarted) / 1000);
        sample.firstCallMs.push((traced.marks.invoked - traced.marks.imported) / 1000);
        const cached = compileCacheOf.get(target.name);
        if (cached) {
          const withCache = runFunction(cached, { traced: true, traceId: newTraceId() });
          const startMs = (run: Run) => (run.marks.invoked - run.marks.importStarted) / 1000;
          sample.cacheSaves.push(startMs(traced) - startMs(withCache));
          sample.cacheSavesCpu.push(traced.cpuMs - withCache.cpuMs);
        }
        if (traces(target.trigger)) {
          sample.subsegments.push(await daemon.count(traceId));
          sample.tracing.push(traced.wallMs - runFunction(target, { traced: false, traceId: newTraceId() }).wallMs);
        }
      }
    }

    const figures: ColdStartFigure[] = [];
    const sections: string[] = [];
    const profiles = join(workDir, 'profiles');
    for (const target of found) {
      const sample = samples.get(target.name) as NonNullable<ReturnType<typeof samples.get>>;
      // A few profiled cold starts, each origin's median share: one run on a busy machine can be far off.
      const cpu = medianBreakdown(
        Array.from({ length: PROFILED_RUNS }, (_, i) => {
          const profileDir = join(profiles, `${target.name.replace('/', '-')}-${i}`);
          const profiled = runFunction(target, {
            traced: true,
            traceId: newTraceId(),
            extraArgs: ['--cpu-prof', '--cpu-prof-dir', profileDir, '--cpu-prof-interval', '100'],
          });
          return cpuByPackage(join(profileDir, readdirSync(profileDir)[0] as string), target.bundle, profiled.marks);
        }),
      );
      const bundle = await bundleOf(target);
      const code = readFileSync(new URL(target.bundle)).length;
      const figure: ColdStartFigure = {
        name: target.name,
        trigger: target.trigger.kind,
        codeKiB: code / 1024,
        overEmptyMs: median(sample.over),
        ratio: median(sample.ratio),
        importMs: median(sample.importMs),
        firstCallMs: median(sample.firstCallMs),
        ...(sample.tracing.length ? { tracingMs: median(sample.tracing), subsegments: median(sample.subsegments) } : {}),
        ...(sample.cacheSaves.length
          ? { compileCache: { savesMs: median(sample.cacheSaves), savesCpuMs: median(sample.cacheSavesCpu) } }
          : {}),
        outcome: describeOutcome(firstOutcome.get(target.name) ?? {}),
        budget: target.budget,
      };
      const floor = floors.get(target.name);
      const missing = floorMissing.get(target.name);
      if (missing) figure.sdkFloorMissing = missing;
      if (floor)
        figure.sdkFloor = {
          calls: floor.calls,
          documentClient: floor.documentClient,
          overEmptyMs: median(sample.floorOverEmpty),
          cpuMs: median(sample.floorCpu),
          overFloorMs: median(sample.overFloor),
          overFloorStartMs: median(sample.overFloorStart),
          overFloorCpuMs: median(sample.overFloorCpu),
          outcome: floor.outcome,
          budget: target.floorBudget,
        };
      figures.push(figure);
      sections.push(breakdownSection(figure, bundle, cpu));
    }
    mkdirSync(dirname(options.reportFile), { recursive: true });
    writeFileSync(options.reportFile, report(figures, sections, options.pairs));
    return figures;
  } finally {
    daemon.close();
    rmSync(workDir, { recursive: true, force: true });
  }
}

function describeOutcome(outcome: Record<string, unknown>): string {
  if (outcome.threw) return `threw ${String(outcome.threw)}`;
  if (outcome.statusCode !== undefined) return String(outcome.statusCode);
  if (outcome.failures !== undefined) return outcome.failures ? `${String(outcome.failures)} record(s) failed` : 'every record handled';
  if (outcome.outcome !== undefined) return String(outcome.outcome);
  if (outcome.status !== undefined) return String(outcome.status);
  return 'ok';
}

const ms = (value: number) => `${value.toFixed(1)} ms`;
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const cell = (shares: Share[], count: number, format: (amount: number) => string) => topShares(shares, count, format).join(', ');

function breakdownSection(figure: ColdStartFigure, bundle: { bytes: number; shares: Share[] }, cpu: CpuBreakdown): string {
  const total = (shares: Share[]) => shares.reduce((sum, s) => sum + s.amount, 0);
  return [
    `## ${figure.name} (${figure.trigger})`,
    '',
    `Cold start +${figure.overEmptyMs.toFixed(1)} ms over an empty Node process (×${figure.ratio.toFixed(2)}); import ${ms(figure.importMs)}, first call ${ms(figure.firstCallMs)}${figure.tracingMs === undefined ? '' : `, tracing ${ms(figure.tracingMs)}`}; first call answered ${figure.outcome}.`,
    '',
    '| | |',
    '| --- | --- |',
    `| bundle ${kib(bundle.bytes)} | ${cell(bundle.shares, 12, kib)} |`,
    `| import CPU ${ms(total(cpu.importing))} | ${cell(cpu.importing, 10, ms)} |`,
    `| first call CPU ${ms(total(cpu.firstCall))} | ${cell(cpu.firstCall, 10, ms)} |`,
    '',
  ].join('\n');
}

function sdkFloorReport(figures: ColdStartFigure[]): string[] {
  const rows = figures.flatMap(({ name, sdkFloor: floor, sdkFloorMissing }) =>
    sdkFloorMissing
      ? [`| ${name} | no SDK floor: ${sdkFloorMissing} | – | – | – | – | – | – | – |`]
      : floor
        ? [
            `| ${name} | ${floorCallsText(floor)} | +${floor.overEmptyMs.toFixed(1)} | ${floor.cpuMs.toFixed(1)} | ${floor.overFloorCpuMs.toFixed(1)} | ${floor.budget ?? '–'} | ${floor.overFloorMs.toFixed(1)} | ${floor.overFloorStartMs.toFixed(1)} | ${floor.outcome} |`,
          ]
        : [],
  );
  if (!rows.length) return [];
  return [
    '## HTTP functions against their SDK floor',
    '',
    "Each HTTP function's SDK floor is a bundle that makes the same first AWS SDK calls as the function (the same clients,",
    'constructed as its adapters construct them, the same operations; the calls observed in one run of the function) and',
    'nothing else, bundled with the same settings, run with the same environment in the same rounds (function, floor and',
    'empty Node process in turn). The floor over an empty process is what the SDK costs; the function over its floor',
    "is the project's own code (handler wrapper, contracts, domain, adapters). The budget applies to the CPU time of import",
    'and first invocation: wall-clock differences are shown too, but on a busy machine they swing by tens of ms.',
    '',
    '| function | calls of the first invocation | floor over empty node (ms) | floor import + first call (CPU ms) | function over floor, import + first call (CPU ms) | budget (ms) | function over floor, wall (ms) | function over floor, import + first call, wall (ms) | floor answered |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ];
}

function report(figures: ColdStartFigure[], sections: string[], pairs: number): string {
  const rows = figures.map(
    (f) =>
      `| ${f.name} | ${f.trigger} | ${f.codeKiB.toFixed(1)} | +${f.overEmptyMs.toFixed(1)} | ×${f.ratio.toFixed(2)} | ${f.importMs.toFixed(1)} | ${f.firstCallMs.toFixed(1)} | ${f.tracingMs === undefined ? '–' : `${f.tracingMs.toFixed(1)} (${f.subsegments})`} | ${f.budget} | ${f.outcome} |`,
  );
  return [
    '# Cold starts',
    '',
    `Written by \`npm run bench\` (${new Date().toISOString()}). Each function started as Lambda starts it (fresh Node process, its`,
    'packaged environment, the local emulators), imported and invoked once; medians of ' +
      `${pairs} runs, each paired with an empty Node process.`,
    'Import and first call are timed inside the process; tracing is the traced run minus an untraced one (subsegments sent).',
    `The CPU rows are each origin's median over ${PROFILED_RUNS} profiled cold starts (--cpu-prof), placed by the bundle’s source map:`,
    'a package or source folder is its JavaScript running; *compile the bundle* is V8 parsing it at import; *Node built-ins* is',
    'node: modules loading and running (https/TLS and crypto at import, the HTTP client at the first call); *V8 and Node (native)*',
    'and *garbage collection* are the engine itself; *idle* is waiting for the emulator to answer.',
    '',
    ...sdkFloorReport(figures),
    '| function | trigger | KiB | over empty node (ms) | ratio | import (ms) | first call (ms) | tracing (ms) | budget (ms) | first call answered |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    ...sections,
  ].join('\n');
}

/** The functions' paired figures as one table for the console. */
export function coldStartTable(figures: ColdStartFigure[]): string {
  const header = `${'function'.padEnd(36)} ${'trigger'.padEnd(13)} ${'KiB'.padStart(6)} ${'+ms'.padStart(6)} ${'ratio'.padStart(6)} ${'import'.padStart(7)} ${'call'.padStart(6)} ${'tracing'.padStart(8)} ${'budget'.padStart(7)}  answered`;
  const lines = figures.map(
    (f) =>
      `${f.name.padEnd(36)} ${f.trigger.padEnd(13)} ${f.codeKiB.toFixed(1).padStart(6)} ${f.overEmptyMs.toFixed(1).padStart(6)} ${f.ratio.toFixed(2).padStart(6)} ${f.importMs.toFixed(1).padStart(7)} ${f.firstCallMs.toFixed(1).padStart(6)} ${(f.tracingMs === undefined ? '–' : f.tracingMs.toFixed(1)).padStart(8)} ${String(f.budget).padStart(7)}  ${f.outcome}${f.overEmptyMs > f.budget ? '  OVER BUDGET' : ''}`,
  );
  const floors = figures.filter((f) => f.sdkFloor || f.sdkFloorMissing);
  if (!floors.length) return [header, ...lines].join('\n');
  return [header, ...lines, '', sdkFloorTable(figures)].join('\n');
}

/**
 * Each HTTP function against its SDK floor (a bundle making the same first SDK calls, nothing else): the floor over
 * an empty Node process, the function over its floor (budgeted), and the calls.
 */
export function sdkFloorTable(figures: ColdStartFigure[]): string {
  const header = `${'HTTP function vs its SDK floor'.padEnd(36)} ${'floor +ms'.padStart(9)} ${'floor cpu'.padStart(9)} ${'fn − floor cpu'.padStart(14)} ${'budget'.padStart(6)} ${'wall'.padStart(6)} ${'start'.padStart(6)}  floor's calls (answered)`;
  const lines = figures.flatMap(({ name, sdkFloor: floor, sdkFloorMissing, compileCache }) =>
    sdkFloorMissing
      ? [`${name.padEnd(36)} no SDK floor: ${sdkFloorMissing}  OVER BUDGET`]
      : floor
        ? [
            `${name.padEnd(36)} ${floor.overEmptyMs.toFixed(1).padStart(9)} ${floor.cpuMs.toFixed(1).padStart(9)} ${floor.overFloorCpuMs.toFixed(1).padStart(14)} ${String(floor.budget ?? '–').padStart(6)} ${floor.overFloorMs.toFixed(1).padStart(6)} ${floor.overFloorStartMs.toFixed(1).padStart(6)}  ${floorCallsText(floor)} (${floor.outcome})${overFloorBudget(floor) ? '  OVER BUDGET' : ''}`,
            ...(compileCache
              ? [
                  `${''.padEnd(36)} a V8 compile cache would save ${compileCache.savesMs.toFixed(1)} ms of import + first call (CPU ${compileCache.savesCpuMs.toFixed(1)} ms)`,
                ]
              : []),
          ]
        : [],
  );
  return [
    header,
    ...lines,
    'floor +ms: the floor over an empty Node process (wall); floor cpu: its import + first call; fn − floor cpu: the function',
    'over its floor, import + first call in CPU ms (budgeted); wall and start: the same difference in wall-clock ms, whole',
    'processes and import + first call (medians of the rounds).',
  ].join('\n');
}

const overFloorBudget = (floor: SdkFloorFigure) => floor.budget !== undefined && floor.overFloorCpuMs > floor.budget;

const floorCallsText = (floor: SdkFloorFigure) =>
  `${floor.calls.join(', ') || 'no SDK call'}${floor.documentClient && floor.calls.some((c) => c.startsWith('dynamodb ')) ? ' via DocumentClient' : ''}`;

export const defaultReportFile = join(workspaceRoot, '.bench', 'cold-starts.md');
