#!/usr/bin/env node
/**
 * `npm run invoke -- <function> [--event '<json>']`: runs a function of the
 * running local stack now, as Lambda would, and prints what it answered, e.g.
 * `npm run invoke -- resolveStaleOrders` instead of waiting for its schedule.
 *   <function>         its name in serverless.yml (resolveStaleOrders) or its full name
 *   --event <json>     the event to pass (default {})
 *   --base-port <n>    the stack's base port (default 4000, or STOREFRONT_BASE_PORT)
 * On AWS the same is `aws lambda invoke --function-name <full name> out.json`.
 */
import { parseArgs } from 'node:util';
import { invokeOffline } from '../stack/offline.ts';
import { composeServices, packagedTemplate } from '#packaging';
import { portsFor } from '../stack/layout.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'base-port': { type: 'string', default: process.env.STOREFRONT_BASE_PORT ?? '4000' },
    event: { type: 'string', default: '{}' },
  },
});
const [wanted] = positionals;
if (!wanted) {
  console.error('Name the function to run, e.g. `npm run invoke -- resolveStaleOrders`.');
  process.exit(2);
}

const services = composeServices();
const functions = services.flatMap((service) =>
  Object.values(packagedTemplate(service)?.Resources ?? {})
    .filter((resource) => resource.Type === 'AWS::Lambda::Function')
    .map((resource) => ({ service, name: String(resource.Properties?.FunctionName) })),
);
const found = functions.find(({ name }) => name === wanted || name.endsWith(`-${wanted}`));
if (!found) {
  console.error(`No function ${wanted} in the packaged services. Functions: ${functions.map((f) => f.name).join(', ')}`);
  process.exit(2);
}

const port = portsFor(Number(values['base-port']), services)[`${found.service.name} lambda`] as number;
const { ok, payload } = await invokeOffline(port, found.name, JSON.parse(values.event));
console.log(JSON.stringify(payload ?? null, null, 2));
if (!ok) {
  console.error(`${found.name} failed (is the stack running on base port ${values['base-port']}?)`);
  process.exit(1);
}
