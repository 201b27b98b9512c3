#!/usr/bin/env node
/**
 * `npm run deploy:rehearsal [-- --stage dev|prod|<new>]`: the project's real deploy path, unchanged, against an AWS
 * emulator (moto, see rehearsal/emulator.ts) into an empty account, from a mirror of the workspace (rehearsal/mirror.ts):
 * 1. `osls-compose deploy` of every service, as `npm run deploy` runs it: every stack complete, every compose param
 *    a real output of its producer that reaches its consumer's template;
 * 2. the same deploy again: no stack changes;
 * 3. a change to one service, then `npm run deploy:affected`: exactly that service and its dependents change;
 * 4. `osls-compose remove`: no stack is left.
 * Prints a table per stack and exits 1 at the first step that fails, saying why. Logs in `.rehearsal/<stage>/`.
 */
import { appendFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { type ComposeService, composeServices, describeFailure, runCommand, serviceName, StackError, workspaceRoot } from '#packaging';
import { changedStacks, incompleteStacks, paramFindings, type RehearsedService, withDependents } from './rehearsal/checks.ts';
import { startEmulator, UNMODELLED_TYPES } from './rehearsal/emulator.ts';
import { mirrorWorkspace } from './rehearsal/mirror.ts';
import { cloudFormation, liveStacks, readStack } from './rehearsal/stacks.ts';

const { values } = parseArgs({ options: { stage: { type: 'string', default: 'dev' } } });
const stage = values.stage;
const workDir = join(workspaceRoot, '.rehearsal', stage);
const logFile = join(workDir, 'rehearsal.log');
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(0)} s`;
const step = (line: string) => console.log(`[${elapsed()}] ${line}`);

/** The secrets a person creates once per stage before its first deploy (README, Deploying). */
const stageSecrets = (name: string) => [`storefront/${name}/page-cursor-key`];

mkdirSync(workDir, { recursive: true });
writeFileSync(logFile, '');
const emulator = await startEmulator(join(workDir, 'moto.log')).catch(fail);
// The SDK clients here and the commands below (osls builds SDK v3 clients) all reach the emulator.
Object.assign(process.env, {
  AWS_ENDPOINT_URL: emulator.endpoint,
  AWS_ACCESS_KEY_ID: 'rehearsal',
  AWS_SECRET_ACCESS_KEY: 'rehearsal',
  AWS_SESSION_TOKEN: '',
  AWS_REGION: 'us-east-1',
  AWS_DEFAULT_REGION: 'us-east-1',
  AWS_PROFILE: '',
  SLS_AWS_REQUEST_MAX_RETRIES: '0',
  // moto ends a stack operation within its request: osls's AWS polling interval (5 s) would only wait.
  SLS_AWS_MONITORING_FREQUENCY: '500',
});
const client = cloudFormation(emulator.endpoint);

function fail(error: unknown): never {
  console.error(`✘ deploy rehearsal (${stage}): ${describeFailure(error)}`);
  process.exit(1);
}

/** Runs a command in the mirror, its output in the log; no command of the rehearsal takes 15 minutes unless stuck. */
const run = (command: string, args: string[], cwd: string) => {
  appendFileSync(logFile, `\n$ ${command} ${args.join(' ')}\n`);
  return runCommand(command, args, cwd, {
    quiet: true,
    timeoutMs: 15 * 60_000,
    env: { ...process.env, PATH: `${join(cwd, 'node_modules/.bin')}:${process.env.PATH}` },
    onOutput: (chunk) => appendFileSync(logFile, chunk),
    fix: `read ${logFile} and ${emulator.logFile}`,
  });
};

const services = composeServices();
const rehearsed = async (): Promise<RehearsedService[]> =>
  Promise.all(
    services.map(async (service) => {
      const stackName = `${serviceName(service)}-${stage}`;
      return { service, stackName, stack: await readStack(client, stackName) };
    }),
  );
const expectNone = (findings: string[], what: string) => {
  if (findings.length) throw new StackError(`${what}:\n  ${findings.join('\n  ')}`);
};

function printTable(deployed: RehearsedService[]): void {
  const rows = deployed.map(({ stackName, stack }) => {
    const types = stack?.resourceTypes ?? [];
    const unmodelled = types.filter((type) => UNMODELLED_TYPES.includes(type)).length;
    return [stackName, stack?.status ?? 'missing', String(types.length - unmodelled), String(unmodelled), (stack?.seconds ?? 0).toFixed(1)];
  });
  const header = ['stack', 'status', 'created', 'not modelled', 'seconds'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] as string).length)));
  for (const row of [header, ...rows]) console.log(`  ${row.map((cell, column) => cell.padEnd(widths[column] as number)).join('  ')}`);
}

try {
  const mirror = mirrorWorkspace(workspaceRoot, join(workDir, 'workspace'));
  step(`mirrored the workspace; moto at ${emulator.endpoint}; deploying stage ${stage} into an empty account`);
  const secrets = new SecretsManagerClient({ endpoint: emulator.endpoint, region: 'us-east-1' });
  for (const Name of stageSecrets(stage)) await secrets.send(new CreateSecretCommand({ Name, SecretString: 'rehearsal'.repeat(6) }));

  // 1. The first deploy of a stage, in one command.
  await run('osls-compose', ['deploy', `--stage=${stage}`], mirror).catch(async (error) => {
    // A param whose output is missing fails compose; name the param and the service rather than compose's words alone.
    const partly = await rehearsed().catch(() => undefined);
    if (partly)
      expectNone(
        paramFindings(partly).filter((finding) => finding.includes('has no output')),
        'a compose param has no output to read',
      );
    throw error;
  });
  const deployed = await rehearsed();
  printTable(deployed);
  expectNone(incompleteStacks(deployed), 'stacks not complete');
  expectNone(paramFindings(deployed), 'compose params not resolved from real outputs');
  step(`deployed ${deployed.length} stacks, every param from its producer's output`);

  // 2. Deploying again changes nothing.
  await run('osls-compose', ['deploy', `--stage=${stage}`], mirror);
  const redeployed = await rehearsed();
  expectNone(
    changedStacks(deployed, redeployed).map((name) => `${name} changed`),
    'a second deploy of the same workspace changed stacks',
  );
  step('deployed again: nothing changed');

  // 3. A change to one service: the affected deploy reaches it and its dependents, nothing else.
  const handlersOf = (service: ComposeService) => join(service.dir.replace(workspaceRoot, mirror), 'src/handlers');
  const changed = services.find((service) => existsSync(handlersOf(service)) && withDependents(services, service.name).length === 1);
  if (!changed) throw new StackError('no service with handlers is free of dependents to change');
  const handlers = handlersOf(changed);
  const handler = readdirSync(handlers).find((file) => /^[\w-]+\.ts$/.test(file));
  if (!handler) throw new StackError(`${changed.name} has no handler to change in src/handlers`);
  appendFileSync(join(handlers, handler), `\nexport const rehearsedAt = '${new Date().toISOString()}';\n`);
  await run('npm', ['run', '--silent', 'deploy:affected', '--', `--stage=${stage}`, '--base=HEAD'], mirror);
  const afterChange = await rehearsed();
  const expected = withDependents(services, changed.name);
  const touched = changedStacks(redeployed, afterChange);
  if (touched.join() !== expected.join())
    throw new StackError(
      `after a change to ${changed.name}, the affected deploy changed [${touched.join(', ')}], expected [${expected.join(', ')}]`,
    );
  step(`changed ${changed.name}/src/handlers/${handler}: the affected deploy changed ${touched.join(', ')} only`);

  // 4. Removing the stage leaves no stack.
  await run('osls-compose', ['remove', `--stage=${stage}`], mirror);
  const left = await liveStacks(
    client,
    deployed.map((d) => d.stackName),
  );
  if (left.length) throw new StackError(`after remove, stacks are left: ${left.join(', ')}`);
  step('removed the stage: no stack left');
  console.log(`✔ deploy rehearsal (${stage}) in ${elapsed()}`);
} catch (error) {
  fail(error);
} finally {
  await emulator.stop();
}
