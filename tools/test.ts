#!/usr/bin/env node
/**
 * `npm test`: everything a change must pass, in the order that fails fastest.
 * formatting, lint and typecheck every project, package every service (no AWS
 * credentials), check bundle budgets, then run every project's tests (unit,
 * integration against DynamoDB Local). Ends with the plain line
 * `N passed, N failed` for CI logs.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { workspaceRoot } from '#packaging';

const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' };

function step(title: string, command: string, args: string[]): boolean {
  console.log(`\n▶ ${title}`);
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: workspaceRoot, stdio: 'inherit', env });
  console.log(`${result.status === 0 ? '✔' : '✘'} ${title} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return result.status === 0;
}

const extraJestArgs = process.argv.slice(2);
const checks =
  step('formatting (prettier)', 'prettier', ['--check', '--log-level=warn', '**/*.{ts,mjs,cjs,js,json}']) &&
  step('lint and typecheck', 'nx', ['run-many', '-t', 'lint', 'typecheck', '--parallel=2', '--outputStyle=static', '--skip-nx-cache']) &&
  step('package every service', 'node', ['tools/packaging/src/package.ts']) &&
  step('bundle budgets', 'node', ['tools/bundle-size.ts']);

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
