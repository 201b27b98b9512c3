#!/usr/bin/env node
/**
 * `npm test`: everything a change must pass, side by side where nothing waits on another's result: formatting, lint
 * and typecheck of every project, the workflow files' lint, packaging every service (no AWS credentials) followed by
 * the bundle budgets and the template check (cfn-lint, house rules) of every stage; and the tests in three lanes
 * (below) as soon as what they read is packaged. Ends with the plain line `N passed, N failed` for CI logs.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { NODE_COMPILE_CACHE_DIR, workspaceRoot } from '#packaging';

// Nx builds its project graph with each plugin in-process: a worker process per plugin costs about 3 CPU-seconds a
// graph, and lint, the deploy plan's tests and the generator's test build a dozen graphs.
const env = {
  ...process.env,
  NX_DAEMON: 'false',
  NX_NO_CLOUD: 'true',
  NX_ISOLATE_PLUGINS: 'false',
  // Node's compile cache for every process npm test starts, dozens of them of the same few tools.
  NODE_COMPILE_CACHE: process.env.NODE_COMPILE_CACHE ?? NODE_COMPILE_CACHE_DIR,
};
const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

/** Runs a check with its output held back, then prints it in one piece, so checks running together stay readable. */
function check(title: string, command: string, args: string[]): Promise<boolean> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: workspaceRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', (error) => (output += `${error.message}\n`));
    child.on('close', (code) => {
      console.log(`\n▶ ${title}\n${output.trimEnd()}`);
      console.log(`${code === 0 ? '✔' : '✘'} ${title} (${seconds(started)})`);
      resolve(code === 0);
    });
  });
}

const extraJestArgs = process.argv.slice(2);
mkdirSync(join(workspaceRoot, '.local'), { recursive: true });

/** A Jest run of some projects, its lines streamed as they come with the lane's name in front, its results in a file. */
function jestLane(name: string, projectArgs: string[]): Promise<{ ok: boolean; resultsFile: string }> {
  const resultsFile = join(workspaceRoot, `.local/jest-results-${name}.json`);
  const started = Date.now();
  console.log(`\n▶ tests: ${name}`);
  return new Promise((resolve) => {
    const child = spawn('jest', ['--ci', '--json', `--outputFile=${resultsFile}`, ...projectArgs, ...extraJestArgs], {
      cwd: workspaceRoot,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const stream of [child.stdout, child.stderr])
      createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => console.log(`[${name}] ${line}`));
    child.on('error', (error) => console.log(`[${name}] ${error.message}`));
    child.on('close', (code) => {
      console.log(`${code === 0 ? '✔' : '✘'} tests: ${name} (${seconds(started)})`);
      resolve({ ok: code === 0, resultsFile });
    });
  });
}

// The tests run in three lanes beside the checks: the end-to-end suites that share one stack (one Jest worker, so
// one stack) as soon as the local packages are there; every project's own tests once the stages are packaged; and,
// once the checks are done, the end-to-end suites that boot stacks of their own (e2e/tests/own-stack: restarts, a
// generated service). An end-to-end suite spends much of its time waiting on a stack, so the lanes keep both cores
// busy. A failed check fails the run; the tests still run, so one push shows every problem.
const started = Date.now();
const packagedLocally = check('package every service', 'node', ['tools/packaging/src/package.ts']);
const shippedStages = packagedLocally.then(async (packaged) => {
  // The budgets read the packaged zips. The template check packages the shipped stages itself, after the local one
  // rather than beside it, so that no more than one packaging runs at a time.
  const [budgets, templates] = await Promise.all([
    packaged && check('bundle budgets', 'node', ['tools/bench/src/bundle-size/bundle-size.ts']),
    check('templates of every stage (cfn-lint, house rules)', 'node', ['tools/delivery/src/check-templates.ts']),
  ]);
  return budgets && templates;
});
const checkResults = Promise.all([
  check('formatting (prettier)', 'prettier', ['--check', '--log-level=warn', '**/*.{ts,mjs,cjs,js,json}']),
  check('lint', 'node', ['tools/checks/src/lint.ts']),
  check('typecheck', 'node', ['tools/checks/src/typecheck.ts']),
  check('workflows (actionlint)', 'node', ['tools/delivery/src/lint-workflows.ts']),
  shippedStages,
]).then((results) => {
  const ok = results.every(Boolean);
  console.log(`\n${ok ? '✔' : '✘'} checks (${seconds(started)})`);
  return ok;
});
// A lane whose packages failed to build does not start: its tests would only fail for that reason.
const OWN_STACK_SUITES = 'e2e/tests/own-stack/';
// The shared-stack lane is the longest (its suites run one after another on one stack), so it starts as soon as the
// local packages are there, beside the checks. The own-stack lane and the projects' lane have time to spare: they
// wait for the checks (the templates for the projects' lane), so fewer processes fight for the two cores at once.
// Measured on a fresh state: npm test 402 s with the shared lane starting early, 418 s with it after the checks.
const e2eLane = (name: string, after: Promise<unknown>, selection: string[]) =>
  Promise.all([packagedLocally, after]).then(([packaged]) =>
    packaged ? jestLane(name, ['--selectProjects', 'e2e', '--maxWorkers=1', ...selection]) : undefined,
  );
const lanes = await Promise.all([
  e2eLane('e2e shared stack', packagedLocally, ['--testPathIgnorePatterns', OWN_STACK_SUITES]),
  e2eLane('e2e own stacks', checkResults, ['--testPathPatterns', OWN_STACK_SUITES]),
  // Two workers: much of a project test waits on another process (cfn-lint, moto, DynamoDB Local, osls), and Jest's
  // default on two cores is one. Measured on a fresh state: the lane took 234 s instead of 313 s, npm test 418 s
  // instead of 435 s.
  shippedStages.then((packaged) => (packaged ? jestLane('projects', ['--ignoreProjects', 'e2e', '--maxWorkers=2']) : undefined)),
]);
const checks = await checkResults;

/** A lane's counts, or none when it did not start or wrote no results. */
function countsOf(lane: { resultsFile: string } | undefined): { passed: number; failed: number } | undefined {
  if (!lane) return undefined;
  try {
    const results = JSON.parse(readFileSync(lane.resultsFile, 'utf8'));
    return { passed: results.numPassedTests, failed: results.numFailedTests + results.numRuntimeErrorTestSuites };
  } catch {
    return undefined;
  }
}

let passed = 0;
let failed = 0;
for (const counts of lanes.map(countsOf)) {
  passed += counts?.passed ?? 0;
  failed += counts?.failed ?? 1;
}
const ok = checks && lanes.every((lane) => lane?.ok);
if (!ok) failed = Math.max(failed, 1);
console.log(`\ntests and checks: ${seconds(started)}`);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(ok ? 0 : 1);
