#!/usr/bin/env node
/**
 * `npm run package`: `serverless package` for every service (or the ones
 * named) with no AWS credentials, each after the services it depends on. Compose cannot package a
 * service whose params come from stacks that were never deployed, so each
 * service gets its dependencies' outputs resolved from their packaged templates.
 * The local stage is packaged in apps/<service>/.serverless; any other in .local/stages/<stage>/apps/<service>/.serverless,
 * so packaging a stage to check its templates never replaces what the local stack and the tests read.
 * Usage: node tools/packaging/src/package.ts [service...] [--stage local] [--region us-east-1]
 */
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { describeFailure } from './errors.ts';
import { packageServices } from './packaging.ts';
import { composeServices, workspaceRoot } from './services.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    stage: { type: 'string', default: 'local' },
    region: { type: 'string', default: 'us-east-1' },
    only: { type: 'string', multiple: true },
  },
});
const services = composeServices();
const only = [...positionals, ...(values.only ?? [])];
const unknown = only.filter((name) => !services.some((s) => s.name === name));
if (unknown.length) {
  console.error(`Unknown service ${unknown.join(', ')}. Known: ${services.map((s) => s.name).join(', ')}`);
  process.exit(2);
}

try {
  await packageServices(services, {
    stage: values.stage,
    region: values.region,
    only,
    // Services are packaged side by side: their outputs would interleave, so a failure shows its own instead.
    quiet: true,
    onPackaged: ({ service, folder, packaged, ms }) =>
      console.log(
        `${packaged ? 'packaged' : 'up to date'}: ${service.name} (${(ms / 1000).toFixed(1)} s)` +
          (folder === service.dir ? '' : ` in ${relative(workspaceRoot, folder)}/.serverless`),
      ),
  });
} catch (error) {
  console.error(describeFailure(error));
  process.exit(1);
}
