#!/usr/bin/env node
/**
 * Packages services without AWS credentials. Compose cannot package a
 * service whose params come from outputs that were never deployed, so this
 * packages services in compose order and passes each one the outputs of the
 * services it depends on, resolved from their packaged templates for a local
 * account. Usage: node tools/package.mjs [service...] [--stage local]
 */
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { describeTemplate } from './local/cloudformation.mjs';
import { composeServices, packagedTemplate, serviceName } from './local/services.mjs';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { stage: { type: 'string', default: 'local' }, region: { type: 'string', default: 'us-east-1' }, only: { type: 'string', multiple: true } } });
const { stage, region } = values;
const services = composeServices();
const wanted = new Set([...positionals, ...(values.only ?? [])]);
const selected = wanted.size ? services.filter((s) => wanted.has(s.name)) : services;
if (wanted.size && selected.length !== wanted.size) {
  console.error(`Unknown service in: ${[...wanted].join(', ')}. Known: ${services.map((s) => s.name).join(', ')}`);
  process.exit(2);
}

const outputsOf = new Map();
async function outputs(service) {
  if (!outputsOf.has(service.name)) {
    if (!packagedTemplate(service)) await packageService(service);
    const stackName = `${serviceName(service)}-${stage}`;
    outputsOf.set(service.name, describeTemplate(packagedTemplate(service), { stackName, region }).outputs);
  }
  return outputsOf.get(service.name);
}

async function packageService(service) {
  const params = [];
  for (const param of service.params) {
    let value = param.value;
    if (param.from) {
      value = (await outputs(services.find((s) => s.name === param.from)))[param.output];
      if (value === undefined) throw new Error(`${param.from} has no output ${param.output} (needed by ${service.name} as ${param.param})`);
    }
    params.push(`--param=${param.param}=${value}`);
  }
  const started = Date.now();
  await run('serverless', ['package', '--stage', stage, '--region', region, ...params], service.dir);
  outputsOf.delete(service.name);
  console.log(`packaged ${service.name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

/** serverless-esbuild can hang after a failed build; a time limit turns that into a clear failure. */
function run(command, args, cwd, timeoutMs = 300_000) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: 'inherit', detached: true });
    const timer = setTimeout(() => {
      process.kill(-child.pid, 'SIGKILL');
      reject(new Error(`${command} ${args[0]} in ${cwd} did not finish within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`${command} ${args.join(' ')} failed in ${cwd} (exit ${code})`));
    });
  });
}

try {
  for (const service of selected) await packageService(service);
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
