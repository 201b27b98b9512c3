#!/usr/bin/env node
/**
 * `npm run openapi`: writes docs/openapi.json, the OpenAPI 3.1 description of
 * the shared HTTP API, from the route contracts the handlers validate with
 * (libs/contracts). A contracts test fails while the file is out of date.
 */
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { format, resolveConfig } from 'prettier';
import { workspaceRoot } from '#packaging';

// The contracts are TypeScript with bundler-style imports: bundle them once, then ask them for the document.
const { outputFiles } = await build({
  entryPoints: [join(workspaceRoot, 'libs/contracts/src/index.ts')],
  bundle: true,
  format: 'esm',
  platform: 'node',
  write: false,
});
const dir = await mkdtemp(join(tmpdir(), 'storefront-openapi-'));
const file = join(dir, 'contracts.mjs');
await writeFile(file, outputFiles[0]?.text ?? '');
const { openApiDocument } = await import(pathToFileURL(file).href);
await rm(dir, { recursive: true, force: true });

const target = join(workspaceRoot, 'docs/openapi.json');
// Written as prettier writes it, so `npm test`'s formatting check passes right after a regeneration.
const options = { ...(await resolveConfig(target)), filepath: target };
writeFileSync(target, await format(JSON.stringify(openApiDocument(), null, 2), options));
console.log(`wrote ${target.slice(workspaceRoot.length + 1)}`);
