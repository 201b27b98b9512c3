#!/usr/bin/env node
/**
 * `npm start`: the whole system on this machine. Prints a line per component,
 * then the base URL and a request to try. Ctrl-C stops everything.
 *   --fresh            start from empty tables, queues and buckets (default: keep them in .local/)
 *   --base-port <n>    gateway on n, emulators on n+1, n+2, services from n+10 (default 4000)
 *   --only <service>   run only these services' functions (repeatable); resources of all are still created
 *   --watch            rebuild a service when its code or a lib changes, and load the new code on the next call
 *   --quiet-services   do not echo the services' own log lines (they are always kept in <state-dir>/logs/<service>.log)
 *   --state-dir <dir>  where emulator data lives (default .local/)
 *   --param <service>.<name>=<value>  run a service's functions with this param instead of compose's (repeatable),
 *                      e.g. --param orders.pendingTimeoutSeconds=30 to see the watchdog reject orders sooner
 *   --concurrency <n>  invocations each function runs at once (default 4; one that has run for a second is waiting,
 *                      not computing, and stops counting, up to 16 more); more wait in a queue of 1000, beyond it 429
 *   --payment-faults <share>  that share of calls to the local payment provider (0 to 1, e.g. 0.3) fails: half
 *                      with a 500, half hang past the caller's timeout (some before the charge, some after it)
 *   --max-visibility-timeout <s>  cap queue visibility timeouts, so retries come sooner (tests)
 *   --stop-when-stdin-closes      stop when the parent process goes away (tests)
 */
import { parseArgs } from 'node:util';
import { join, relative } from 'node:path';
import { describeFailure, workspaceRoot } from '#packaging';
import { faultRateProblem } from '../emulators/payment-provider/payment-faults.ts';
import { createProgress } from '../common/progress.ts';
import { serviceLogs } from '../stack/service-logs.ts';
import type { LocalCloud } from '../stack/boot.ts';

const { values } = parseArgs({
  options: {
    fresh: { type: 'boolean', default: false },
    'base-port': { type: 'string', default: process.env.STOREFRONT_BASE_PORT ?? '4000' },
    'state-dir': { type: 'string' },
    concurrency: { type: 'string' },
    'payment-faults': { type: 'string' },
    'max-visibility-timeout': { type: 'string' },
    'quiet-services': { type: 'boolean', default: false },
    'stop-when-stdin-closes': { type: 'boolean', default: false },
    only: { type: 'string', multiple: true },
    param: { type: 'string', multiple: true },
    watch: { type: 'boolean', default: false },
  },
});

// The emulators need Node 22 (node:sqlite); the project pins it for npm scripts.
const nodeMajor = Number(process.versions.node.split('.')[0]);
if (nodeMajor < 22) {
  process.stderr.write(
    `✘ The local stack needs Node 22 and this is Node ${process.versions.node}. Fix: run it as \`npm start\` (npm scripts use the project's pinned Node 22).\n`,
  );
  process.exit(1);
}
if (values.concurrency !== undefined && !(Number.isInteger(Number(values.concurrency)) && Number(values.concurrency) >= 1)) {
  process.stderr.write(`✘ --concurrency takes a whole number of invocations, 1 or more (got ${values.concurrency}).\n`);
  process.exit(1);
}
const paymentFaultsProblem = values['payment-faults'] === undefined ? undefined : faultRateProblem(values['payment-faults']);
if (paymentFaultsProblem) {
  process.stderr.write(`✘ --payment-faults: ${paymentFaultsProblem}. Fix: e.g. npm start -- --payment-faults 0.3\n`);
  process.exit(1);
}
const { startLocalCloud } = await import('../stack/boot.ts');
const { DEFAULT_MAX_QUEUED } = await import('../stack/concurrency.ts');

/** `--param orders.pendingTimeoutSeconds=30` → { orders: { pendingTimeoutSeconds: '30' } } */
function paramOverrides(entries: string[] = []): Record<string, Record<string, string>> {
  const params: Record<string, Record<string, string>> = {};
  for (const entry of entries) {
    const match = /^([\w-]+)\.([\w-]+)=(.*)$/.exec(entry);
    if (!match) {
      process.stderr.write(`✘ --param ${entry} is not <service>.<name>=<value>. Fix: e.g. --param orders.pendingTimeoutSeconds=30\n`);
      process.exit(1);
    }
    const [, service = '', name = '', value = ''] = match;
    (params[service] ??= {})[name] = value;
  }
  return params;
}

const progress = createProgress();
let ready = false;
const logs = serviceLogs(values['state-dir'] ?? join(workspaceRoot, '.local'));
progress.info(`Starting Storefront locally${values.fresh ? ' from empty state' : ''}…`);

let stack: LocalCloud | undefined;
let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  progress.info(`\n${signal}: stopping every service and emulator…`);
  await stack?.stop();
  await logs.close();
  process.exit(0);
}
process.on('SIGINT', () => shutdown('Ctrl-C'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
if (values['stop-when-stdin-closes']) {
  process.stdin.on('close', () => shutdown('parent gone'));
  process.stdin.resume();
}

try {
  stack = await startLocalCloud({
    basePort: Number(values['base-port']),
    ...(values['state-dir'] ? { stateDir: values['state-dir'] } : {}),
    fresh: values.fresh,
    ...(values.only ? { only: values.only } : {}),
    params: paramOverrides(values.param),
    watch: values.watch,
    ...(values.concurrency ? { concurrency: { maxInFlight: Number(values.concurrency), maxQueued: DEFAULT_MAX_QUEUED } } : {}),
    ...(values['payment-faults'] ? { paymentFaults: Number(values['payment-faults']) } : {}),
    ...(values['max-visibility-timeout'] ? { maxVisibilityTimeout: Number(values['max-visibility-timeout']) } : {}),
    progress,
    onServiceLog: (service, line) => {
      logs.write(service, line);
      if (ready && !values['quiet-services']) process.stdout.write(`[${service}] ${line}\n`);
    },
  });
} catch (error) {
  process.stderr.write(`\n✘ The local stack did not start: ${describeFailure(error)}\n`);
  process.exit(1);
}

ready = true;
const { baseUrl: url, endpoints } = stack as LocalCloud;
// The customer is the token's subject: a token of the local identity provider for c-1 places c-1's order.
const tokenCommand = `npm run -s token -- --customer c-1${url === 'http://localhost:4000' ? '' : ` --url ${url}`}`;
const curl = `curl -s -X POST ${url}/orders -H "authorization: Bearer $(${tokenCommand})" -H 'content-type: application/json' -H 'Idempotency-Key: try-1' -d '{"customerId":"c-1","currency":"EUR","paymentMethod":"pm_card_visa","lines":[{"sku":"SKU-1","quantity":1}]}'`;
progress.info(`
Storefront is ready in ${progress.elapsed()} at ${url}
Emulators: DynamoDB ${endpoints.dynamodb}, SNS/SQS/S3 ${endpoints.messaging}, Step Functions ${endpoints.stepFunctions},
  Secrets Manager ${endpoints.secretsManager} (region us-east-1, any credentials)
Payment provider: ${endpoints.paymentProvider} (Stripe's API subset; its ledger at ${endpoints.paymentProvider}/_local/ledger)
Place an order as customer c-1 (\`npm run -s token -- --customer c-1\` or \`--admin\` prints a bearer token):
  ${curl}
Follow its events:  npm run demo      Each service's log: ${relative(process.cwd(), logs.dir) || '.'}/<service>.log      Stop: Ctrl-C
`);
