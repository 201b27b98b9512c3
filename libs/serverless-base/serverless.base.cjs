/**
 * The Serverless settings every service shares. A service's serverless.yml
 * pulls each section in with ${file(...)} and keeps only what is its own
 * (functions with their environment and IAM statements, and resources).
 */
'use strict';

const { join, relative } = require('path');

// ESM bundles still meet packages that call require(); this gives them one. (Not `import … from 'module'`: an ES
// module import of a built-in makes Node build a facade of all its exports first.)
const requireShim = "const require = process.getBuiltinModule('node:module').createRequire(import.meta.url);";

/**
 * What differs from one stage to another, in one place. `dev` is the default stage, and any stage not named here (a
 * personal or feature stage) gets its settings; `prod` is production; `local` is `npm start`, `npm run package` and
 * the tests. The base provider below reads the logs, metrics and throttling; the stages plugin
 * (`@storefront/serverless-stages`, beside this file) applies the rest to the compiled template:
 *
 * - `alarms.functionErrors`: the repo's own alarm on every function's errors, to the alerts topic (the canary's
 *   rollback alarm for HTTP functions); where it is on, slic-watch's `Errors` alarm is off, so no error alarms twice.
 * - `alarms.slicWatch`: whether serverless-slic-watch-plugin adds its alarms and a dashboard per service, and the
 *   thresholds it alarms at (see `slicWatch` below and docs/operations.md): Lambda duration as a percentage of the
 *   function's timeout, throttles as a percentage of invocations, a stream consumer's iterator age, the age of a
 *   queue's oldest message, and DynamoDB throttled requests per minute (each alarms when over its threshold).
 * - `alarms.httpApi`: the platform's own alarms on the shared HTTP API (slic-watch has none for HTTP APIs): 5xx
 *   answers per minute over which it alarms, and the p99 latency it alarms over for 3 of 5 minutes.
 * - `concurrency.latencyCritical`: provisioned concurrency on the `live` alias of each function marked
 *   `latencyCritical: true` (placing and reading orders); 0 for none.
 * - `concurrency.consumers`: reserved concurrency of every queue and stream consumer (and the queue's maximum
 *   concurrency, so the poller never invokes past it); 0 for none.
 * - `tables`: DeletionPolicy/UpdateReplacePolicy Retain and point-in-time recovery on every DynamoDB table.
 * - `canary`: the CodeDeploy configuration every HTTP function is released with, through its `live` alias, rolled
 *   back by its error alarm; undefined to update functions in place.
 */
// Requests per second (steady, and the burst above it) for every route and for placing orders, over which API Gateway answers 429.
const apiLimits = { default: { rate: 200, burst: 400 }, placeOrder: { rate: 50, burst: 100 } };

// Dev alarms on what is broken, not on what is slow under a test's load; prod alarms earlier.
const developmentAlarms = {
  functionErrors: false,
  slicWatch: {
    enabled: true,
    durationPercentOfTimeout: 95,
    throttlesPercent: 5,
    streamIteratorAgeMs: 300_000,
    queueMessageAgeSeconds: 1800,
    tableThrottleEvents: 10,
  },
  httpApi: { serverErrorsPerMinute: 5, latencyP99Ms: 5000 },
};

const developmentStage = {
  logs: { level: 'DEBUG', retentionInDays: 14 },
  metrics: true,
  throttling: apiLimits,
  alarms: developmentAlarms,
  concurrency: { latencyCritical: 0, consumers: 0 },
  tables: { retain: false, pointInTimeRecovery: false },
  canary: undefined,
};

const STAGES = {
  // Locally there is no CloudWatch to read EMF lines (they would only crowd the log) or to alarm on, and the load
  // benchmarks place hundreds of orders at once, so the gateway allows more.
  local: {
    ...developmentStage,
    metrics: false,
    alarms: { ...developmentAlarms, slicWatch: { ...developmentAlarms.slicWatch, enabled: false } },
    throttling: { default: { rate: 2000, burst: 4000 }, placeOrder: { rate: 1000, burst: 1000 } },
  },
  dev: developmentStage,
  prod: {
    logs: { level: 'INFO', retentionInDays: 90 },
    metrics: true,
    throttling: apiLimits,
    alarms: {
      functionErrors: true,
      slicWatch: {
        enabled: true,
        durationPercentOfTimeout: 80,
        throttlesPercent: 0,
        streamIteratorAgeMs: 60_000,
        queueMessageAgeSeconds: 300,
        tableThrottleEvents: 0,
      },
      httpApi: { serverErrorsPerMinute: 0, latencyP99Ms: 2000 },
    },
    concurrency: { latencyCritical: 2, consumers: 10 },
    tables: { retain: true, pointInTimeRecovery: true },
    // 10% of invocations on the new version for 5 minutes, then all of them, unless its error alarm fires first.
    canary: { deploymentConfig: 'CodeDeployDefault.LambdaCanary10Percent5Minutes' },
  },
};

/** The settings of a stage: its own, or dev's for a stage not named in STAGES. */
function stageSettings(stage) {
  return STAGES[stage] ?? STAGES.dev;
}

// The event wiring and alarms plugins live beside this file; npm installs them as packages (a local plugin may
// not sit outside a service). Event wiring comes first: it turns the subscription and outboxRelay declarations
// into the sqs and stream events, resources and IAM the others then see. Offline references gives serverless-offline
// the local values of environment references (`!Ref`) that only CloudFormation would resolve.
// The stages plugin applies what `stageSettings` above asks of the stage being packaged (aliases, canary releases,
// concurrency, table retention, function alarms) to the compiled template.
// Under serverless-offline, the local stack runs the very bundles `serverless package` built (unpacked into the folder
// STOREFRONT_OFFLINE_BUNDLES names; the offline references plugin points offline there), so offline builds nothing
// of its own: serverless-esbuild stays out. Without the variable (`npm start -- --watch`, offline run by hand),
// serverless-esbuild builds for offline and rebuilds on change; packaging always has it.
const offlineRunsPackagedBundles = process.argv.includes('offline') && Boolean(process.env.STOREFRONT_OFFLINE_BUNDLES);
const plugins = [
  '@storefront/serverless-event-wiring',
  ...(offlineRunsPackagedBundles ? [] : ['serverless-esbuild']),
  'serverless-iam-roles-per-function',
  'serverless-offline',
  '@storefront/serverless-dead-letter-alarms',
  '@storefront/serverless-stages',
  '@storefront/serverless-offline-references',
  // Last: it alarms on and charts what the others have put in the template by then, as `custom.slicWatch` (below) and
  // what the dead-letter alarms plugin marks on resources it already watches ask.
  'serverless-slic-watch-plugin',
];

/**
 * For a service that defines Step Functions state machines (a `stepFunctions:` block), in place of `plugins`:
 * the same plugins plus serverless-step-functions, which compiles each state machine with its role (invoke
 * rights on exactly its task functions) and alarms when packaging, with no AWS credentials, and declares the
 * `stepFunctions` key so configuration validation accepts it. Services without a workflow do not load it.
 */
const workflowPlugins = plugins.flatMap((plugin) =>
  plugin === 'serverless-iam-roles-per-function' ? [plugin, 'serverless-step-functions'] : [plugin],
);

/** Where alarms (dead-letter queues, stale orders …) notify: the platform's alerts topic, passed by compose. */
const alerts = { topicArn: '${param:alertsTopicArn}' };

/**
 * `custom.slicWatch` of every service (serverless-slic-watch-plugin 3.2.0): its alarms at the stage's thresholds, to
 * the service's alerts topic (`custom.alerts.topicArn`; the platform's is its own topic), and one dashboard of the
 * service's functions, queues, tables, topics, rules and state machines. Left out, because something else watches it
 * or the metric cannot fire (docs/operations.md lists every alarm and where it comes from):
 * - Lambda `Errors` where the stage has the repo's own error alarm (`alarms.functionErrors`, the canary's rollback);
 * - SQS in-flight messages (a 96,000-message threshold that consumers limited to a few batches at a time never reach);
 *   failure queues and SQS consumers' iterator age are turned off per resource by the dead-letter alarms plugin;
 * - DynamoDB `UserErrors` (an account-wide metric: it has no table dimension, so a per-table alarm never sees data).
 * The dead-letter alarms plugin also turns the per-table `SystemErrors` alarm into a sum over operations (DynamoDB has
 * no per-table total) and fixes the index dimension's name.
 */
async function slicWatch({ options, resolveVariable }, { dashboard = true } = {}) {
  const stage = options.stage ?? 'dev';
  const { functionErrors, slicWatch: thresholds } = stageSettings(stage).alarms;
  if (!thresholds.enabled) return { enabled: false };
  const topicArn = await resolveVariable('self:custom.alerts.topicArn');
  const countOverThreshold = (Threshold) => ({ Statistic: 'Sum', Threshold, ComparisonOperator: 'GreaterThanThreshold' });
  return {
    enabled: true,
    alarmActionsConfig: { actionsEnabled: true, alarmActions: [topicArn], okActions: [topicArn] },
    alarms: {
      Period: 60,
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
      Lambda: {
        Errors: { enabled: !functionErrors, Threshold: 0 },
        ThrottlesPc: { Threshold: thresholds.throttlesPercent },
        DurationPc: { Threshold: thresholds.durationPercentOfTimeout },
        IteratorAge: { Threshold: thresholds.streamIteratorAgeMs },
        Invocations: { enabled: false },
      },
      SQS: {
        InFlightMessagesPc: { enabled: false },
        AgeOfOldestMessage: { enabled: true, Statistic: 'Maximum', Threshold: thresholds.queueMessageAgeSeconds },
      },
      DynamoDB: {
        ReadThrottleEvents: countOverThreshold(thresholds.tableThrottleEvents),
        WriteThrottleEvents: countOverThreshold(thresholds.tableThrottleEvents),
        UserErrors: { enabled: false },
        SystemErrors: countOverThreshold(0),
      },
      States: {
        ExecutionThrottled: countOverThreshold(0),
        ExecutionsFailed: countOverThreshold(0),
        ExecutionsTimedOut: countOverThreshold(0),
      },
    },
    dashboard: { enabled: dashboard, timeRange: { start: '-PT3H' } },
  };
}

/** The platform's `custom.slicWatch`: alarms only, since its one dashboard is the system dashboard it declares itself. */
const platformSlicWatch = (context) => slicWatch(context, { dashboard: false });

/** The alarm thresholds of the stage being packaged (`alarms` in STAGES), for resources a service declares itself. */
function alarmThresholds({ options }) {
  return stageSettings(options.stage ?? 'dev').alarms;
}

/** The platform's plugins: slic-watch only (it has no functions to bundle or run). */
const platformPlugins = ['serverless-slic-watch-plugin'];

// What each bundle leaves out or replaces, and why: libs/serverless-base/bundling/ (each file says what it saves;
// `npm run bench` writes where every function's cold start goes to .bench/cold-starts.md).
const bundling = (file) => join(__dirname, 'bundling', file);

/**
 * What esbuild bundles every handler with. Tools and tests that bundle as packaging does take these and the
 * plugins of `esbuildPluginsFile`; serverless-esbuild gets them in `esbuild` below, with its own settings.
 */
const bundleOptions = {
  bundle: true,
  minify: true,
  // A source map beside each bundle, read only when an error's stack is formatted (bundling/source-mapped-stacks.ts,
  // injected first into every bundle); without the sources' text, which nothing reads.
  sourcemap: true,
  sourcesContent: false,
  inject: [bundling('source-mapped-stacks.ts')],
  format: 'esm',
  platform: 'node',
  target: 'node22',
  mainFields: ['module', 'main'],
  banner: { js: requireShim },
  alias: {
    '@aws-sdk/credential-provider-node': require.resolve('./lambda-credentials.ts'),
    '@smithy/core/event-streams': bundling('sdk-event-streams.ts'),
    '@aws-sdk/middleware-endpoint-discovery': bundling('sdk-endpoint-discovery.ts'),
  },
};
const esbuildPluginsFile = bundling('esbuild-plugins.ts');

const esbuild = {
  ...bundleOptions,
  outputFileExtension: '.mjs',
  // The AWS SDK v3 is bundled (and tree-shaken) rather than taken from the runtime: faster cold starts, pinned versions.
  exclude: [],
  // serverless-esbuild loads plugins from a path relative to the service (the working directory this file is read in).
  plugins: relative(process.cwd(), esbuildPluginsFile),
  packager: 'npm',
  installExtraArgs: ['--no-audit', '--no-fund'],
  keepOutputDirectory: false,
  // Packaging a stage whose sources another stage's package was built from (tools/packaging) puts that package's
  // zips in `.serverless` first: serverless-esbuild ships them as they are instead of bundling again.
  skipBuild: Boolean(process.env.STOREFRONT_PREBUILT_BUNDLES),
  // Under serverless-offline, rebuild when the service or a shared lib changes (`npm start -- --watch` reloads them).
  watch: { pattern: ['src/**/*.ts', '../../libs/*/src/**/*.ts'], ignore: ['.esbuild', 'node_modules', '.serverless'] },
};

// Each function's zip holds only its bundle and source map (serverless-esbuild packs nothing else).
const packageSettings = { individually: true };

const sharedProvider = {
  name: 'aws',
  runtime: 'nodejs22.x',
  architecture: 'arm64',
  memorySize: 256,
  timeout: 10,
  versionFunctions: false,
  tracing: { lambda: true },
  iam: {
    role: {
      // Every function role inherits these (see iamRolesPerFunction). X-Ray's
      // write actions support no resource-level scoping, so '*' is required.
      statements: [{ Effect: 'Allow', Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Resource: '*' }],
    },
  },
};

/** Each function gets its own role holding only its statements plus the shared ones above. */
const iamRolesPerFunction = { defaultInherit: true };

async function sharedProviderFor({ options, resolveVariable }) {
  // The framework reads provider.stage before plugins load, when `opt:` variables
  // are not resolvable yet for plugin commands (offline): read the CLI options directly.
  const service = await resolveVariable('self:service');
  const stage = options.stage ?? 'dev';
  const region = options.region ?? 'us-east-1';
  const tags = { system: 'storefront', service, stage };
  const settings = stageSettings(stage);
  return {
    ...sharedProvider,
    stage,
    region,
    stackTags: tags,
    tags,
    logRetentionInDays: settings.logs.retentionInDays,
    environment: {
      POWERTOOLS_SERVICE_NAME: service,
      POWERTOOLS_METRICS_NAMESPACE: 'storefront',
      POWERTOOLS_LOG_LEVEL: settings.logs.level,
      ...(settings.metrics ? {} : { POWERTOOLS_METRICS_DISABLED: 'true' }),
    },
  };
}

/** For services with no HTTP routes. */
const provider = sharedProviderFor;

/**
 * The key that signs page cursors, PAGE_CURSOR_KEY in every function of a
 * service with HTTP routes. The local stage (npm start, npm run package, the
 * tests) uses this fixed key, which everyone can read and so protects nothing.
 * Every other stage reads its own from Secrets Manager: the template holds only a
 * dynamic reference that CloudFormation resolves when it deploys, so the key is
 * never in a template, a deploy command or the pipeline. Create the secret once
 * per stage (docs/architecture.md, "Page cursors"); a deploy without it fails.
 */
const LOCAL_PAGE_CURSOR_KEY = 'storefront-local-development-page-cursor-key-not-a-secret';
const pageCursorKeySecret = (stage) => `storefront/${stage}/page-cursor-key`;

/** For services with HTTP routes: they attach them to the one HTTP API the platform service owns. */
async function httpServiceProvider(context) {
  const shared = await sharedProviderFor(context);
  const key =
    shared.stage === 'local' ? LOCAL_PAGE_CURSOR_KEY : `{{resolve:secretsmanager:${pageCursorKeySecret(shared.stage)}:SecretString}}`;
  return { ...shared, environment: { ...shared.environment, PAGE_CURSOR_KEY: key }, httpApi: { id: '${param:httpApiId}' } };
}

/**
 * Who may call a route, as `authorizer:` of its httpApi event: the platform's JWT authorizer (a compose param, since
 * the authorizer must live in the stack that owns the API) and the scope the token must carry. The route contracts
 * (libs/contracts access.ts) name the same scopes; each service's template test holds the two together.
 */
const access = {
  customer: { id: '${param:httpApiAuthorizerId}', scopes: ['storefront/shop'] },
  admin: { id: '${param:httpApiAuthorizerId}', scopes: ['storefront/admin'] },
};

/**
 * API stage throttling (requests per second, and the burst above it), every route and order placement, by stage
 * (see STAGES). The local gateway enforces whatever the packaged platform template says, as API Gateway would.
 */
function stageApiThrottling({ options }) {
  return stageSettings(options.stage ?? 'dev').throttling;
}

module.exports = {
  access,
  apiThrottling: stageApiThrottling,
  plugins,
  workflowPlugins,
  alerts,
  alarmThresholds,
  slicWatch,
  platformSlicWatch,
  platformPlugins,
  bundleOptions,
  esbuild,
  esbuildPluginsFile,
  iamRolesPerFunction,
  package: packageSettings,
  provider,
  httpServiceProvider,
  LOCAL_PAGE_CURSOR_KEY,
  stageSettings,
};
