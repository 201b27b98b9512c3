#!/usr/bin/env node
/**
 * `npm run deploy:affected -- --stage <s> [--base <ref>] [--head <ref>] [--dry-run] [--json]`: deploys the services a
 * change reaches (see deploy/plan.ts), in compose order, each with `osls-compose deploy --service=<svc>` after
 * `osls-compose refresh-outputs`. `--base` defaults to nx.json's defaultBase; without `--head` the working tree
 * counts, as for `nx affected`. `--dry-run` prints the plan, why each service is in it and the commands, and
 * runs nothing; `--json` prints the same as JSON.
 * `npx nx run <svc>:deploy [--stage <s>]` runs this with `--service <svc>`: that service alone.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { composeServices, workspaceRoot } from '#packaging';
import { changedFiles } from './deploy/changed-files.ts';
import { composeDeployCommands, spawnRunner } from './deploy/compose-commands.ts';
import { deployPlan, describePlan } from './deploy/deploy-plan.ts';
import { deployedFiles, type NxJson } from './deploy/deployed-files.ts';
import { type PlannedService, planDeploy } from './deploy/plan.ts';
import { loadWorkspaceGraph } from './deploy/workspace-graph.ts';

const { values } = parseArgs({
  options: {
    stage: { type: 'string', default: 'dev' },
    base: { type: 'string' },
    head: { type: 'string' },
    service: { type: 'string', multiple: true },
    'dry-run': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
});
const stage = values.stage;
const services = composeServices();
const nxJson = JSON.parse(readFileSync(join(workspaceRoot, 'nx.json'), 'utf8')) as NxJson & { defaultBase?: string };

let plan: PlannedService[];
let from: string;
if (values.service?.length) {
  const unknown = values.service.filter((name) => !services.some((s) => s.name === name));
  if (unknown.length) {
    console.error(`Unknown service ${unknown.join(', ')}. Known: ${services.map((s) => s.name).join(', ')}`);
    process.exit(2);
  }
  plan = services.filter((s) => values.service?.includes(s.name)).map((s) => ({ service: s.name, why: 'asked for' }));
  from = 'services asked for';
} else {
  const base = values.base ?? nxJson.defaultBase ?? 'main';
  const graph = await loadWorkspaceGraph();
  const projectAt = new Map(Object.entries(graph.roots).map(([name, root]) => [root, name]));
  plan = planDeploy({
    services,
    projectOf: (name) => projectAt.get(relative(workspaceRoot, services.find((s) => s.name === name)?.dir ?? '')),
    graph,
    changedFiles: changedFiles({ base, head: values.head, cwd: workspaceRoot }),
    deployed: deployedFiles(nxJson),
  });
  from = `changes since ${base}${values.head ? ` up to ${values.head}` : ''}`;
}

if (values.json) {
  const commands = composeDeployCommands(
    plan.map((p) => p.service),
    stage,
  );
  console.log(JSON.stringify({ stage, from, services: plan, commands }, null, 2));
} else console.log(describePlan(plan, { stage, from }));
if (values['dry-run'] || plan.length === 0) process.exit(0);

try {
  await deployPlan(plan, stage, spawnRunner(workspaceRoot));
  console.log(`Deployed to ${stage}: ${plan.map((p) => p.service).join(', ')}`);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
