#!/usr/bin/env node
/**
 * `npm run -s token -- --customer <id>` prints a customer's bearer token for the running local stack on one line and
 * nothing else; `--admin` an admin's. Tokens are signed by the stack's local identity provider and accepted by its
 * gateway as API Gateway accepts Cognito's: `curl -H "authorization: Bearer $(npm run -s token -- --customer c-1)" …`.
 *   --url <base>   the gateway (default http://localhost:4000, or STOREFRONT_URL)
 */
import { parseArgs } from 'node:util';
import { fetchToken, type Identity, NoTokenError } from '../client/api-client.ts';

const USAGE = 'Usage: npm run -s token -- --customer <id> | --admin [--url http://localhost:4000]';

function fail(message: string): never {
  process.stderr.write(`✘ ${message}\n`);
  process.exit(1);
}

let values: { customer?: string; admin?: boolean; url?: string };
try {
  ({ values } = parseArgs({
    options: {
      customer: { type: 'string' },
      admin: { type: 'boolean', default: false },
      url: { type: 'string', default: process.env.STOREFRONT_URL ?? 'http://localhost:4000' },
    },
  }));
} catch (error) {
  fail(`${(error as Error).message}. ${USAGE}`);
}
if ((values.customer === undefined) === !values.admin) fail(`Give either --customer <id> or --admin. ${USAGE}`);
const identity: Identity = values.admin ? 'admin' : { customer: values.customer as string };

try {
  process.stdout.write(`${await fetchToken((values.url as string).replace(/\/$/, ''), identity)}\n`);
} catch (error) {
  if (!(error instanceof NoTokenError)) throw error;
  fail(error.message);
}
