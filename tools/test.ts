#!/usr/bin/env node
/**
 * `npm test`: everything a change must pass. First the checks, side by side since none needs another's result:
 * formatting, lint and typecheck of every project, and packaging every service (no AWS credentials) followed by
 * the bundle budgets and the packaging of the stages we ship (dev, prod) for their template tests. Then, if they
 * all passed, every project's tests (unit, integration against DynamoDB Local, end to end). Ends with the plain
 * line `N passed, N failed` for CI logs.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { workspaceRoot } from '#packaging';

const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' };
const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

/** Runs a check with its output held back, then prints it in one piece, so checks running together stay readable. */
function check(title: string, command: string, args: string[], extraEnv: Record<string, string> = {}): Promise<boolean> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: workspaceRoot, env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
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

// The stages are packaged as Nx's package-stages target packages them, with its page cursor key (one never deployed).
const stagePackaging = JSON.parse(readFileSync(join(workspaceRoot, 'nx.json'), 'utf8')).targetDefaults['package-stages'].options as {
  command: string;
  env: Record<string, string>;
};
const stageArgs = [...stagePackaging.command.matchAll(/--stage (\S+)/g)].flatMap(([, stage]) => ['--stage', stage as string]);

const extraJestArgs = process.argv.slice(2);
const checksStarted = Date.now();
const checkResults = await Promise.all([
  check('formatting (prettier)', 'prettier', ['--check', '--log-level=warn', '**/*.{ts,mjs,cjs,js,json}']),
  check('lint', 'node', ['tools/lint.ts']),
  check('typecheck', 'node', ['tools/typecheck.ts']),
  // The budgets read the packaged zips; the stages come after the local stage, not to pack two stages on two cores at once.
  check('package every service', 'node', ['tools/packaging/src/package.ts']).then(
    async (packaged) =>
      packaged &&
      (
        await Promise.all([
          check('bundle budgets', 'node', ['tools/bundle-size.ts']),
          check('package the stages we ship', 'node', ['tools/packaging/src/package.ts', ...stageArgs], stagePackaging.env),
        ])
      ).every(Boolean),
  ),
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
