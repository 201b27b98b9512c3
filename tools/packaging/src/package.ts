#!/usr/bin/env node
/**
 * `npm run package`: `serverless package` for every service (or the ones
 * named) with no AWS credentials, each after the services it depends on. Compose cannot package a
 * service whose params come from stacks that were never deployed, so each
 * service gets its dependencies' outputs resolved from their packaged templates.
 * A stage other than local is packaged into
 * `.stages/<stage>/apps/<service>/.serverless`, leaving the local stage's `apps/<service>/.serverless` as it was.
 * Usage: node tools/packaging/src/package.ts [service...] [--stage local] [--stage prod …] [--region us-east-1]
 */
import { parseArgs } from 'node:util';
import { describeFailure } from './errors.ts';
import { packageServices } from './packaging.ts';
import { composeServices, LOCAL_STAGE } from './services.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    stage: { type: 'string', multiple: true, default: [LOCAL_STAGE] },
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
  // One stage after another: each already packages its services side by side.
  for (const stage of new Set(values.stage)) {
    const named = stage === LOCAL_STAGE ? '' : ` [${stage}]`;
    await packageServices(services, {
      stage,
      region: values.region,
      only,
      // Services are packaged side by side: their outputs would interleave, so a failure shows its own instead.
      quiet: true,
      onPackaged: ({ service, packaged, ms }) =>
        console.log(`${packaged ? 'packaged' : 'up to date'}: ${service.name}${named} (${(ms / 1000).toFixed(1)} s)`),
    });
  }
} catch (error) {
  console.error(describeFailure(error));
  process.exit(1);
}
