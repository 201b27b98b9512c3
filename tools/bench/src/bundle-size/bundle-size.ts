#!/usr/bin/env node
/**
 * Prints the size of every packaged function (minified handler, and the zip
 * Lambda downloads) and fails when one is over its budget (tools/budgets.json).
 * Run `npm run package` first; this reads what it produced.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeServices } from '#packaging';
import { zipEntries } from './zip.ts';

// In CI only the affected services are packaged; --packaged-only checks just those.
const packagedOnly = process.argv.includes('--packaged-only');

const budgets: Record<string, number> = JSON.parse(readFileSync(new URL('../../budgets.json', import.meta.url), 'utf8')).bundleKiB;

const kib = (bytes: number) => (bytes / 1024).toFixed(1).padStart(7);
const rows: { service: string; fn: string; code: number; zipped: number; budget: number }[] = [];
let missing = 0;
for (const service of composeServices()) {
  const dir = join(service.dir, '.serverless');
  let zips: string[];
  try {
    zips = readdirSync(dir).filter((file) => file.endsWith('.zip'));
  } catch {
    zips = [];
  }
  if (zips.length === 0) {
    const hasFunctions = /^functions:/m.test(readFileSync(join(service.dir, 'serverless.yml'), 'utf8'));
    missing += hasFunctions && !packagedOnly ? 1 : 0;
    continue;
  }
  for (const zip of zips) {
    const buffer = readFileSync(join(dir, zip));
    const code = zipEntries(buffer)
      .filter((entry) => /\.(mjs|js)$/.test(entry.name))
      .reduce((sum, entry) => sum + entry.size, 0);
    const fn = zip.replace(/\.zip$/, '');
    rows.push({
      service: service.name,
      fn,
      code,
      zipped: buffer.length,
      budget: (budgets[`${service.name}/${fn}`] ?? budgets[service.name] ?? budgets.default) as number,
    });
  }
}

console.log(`${'service'.padEnd(14)} ${'function'.padEnd(22)} ${'code KiB'.padStart(9)} ${'zip KiB'.padStart(8)} ${'budget'.padStart(7)}`);
for (const row of rows) {
  const over = row.code > row.budget * 1024;
  console.log(
    `${row.service.padEnd(14)} ${row.fn.padEnd(22)} ${kib(row.code)}   ${kib(row.zipped)} ${String(row.budget).padStart(7)}${over ? '  OVER BUDGET' : ''}`,
  );
}
const over = rows.filter((row) => row.code > row.budget * 1024);
if (missing) console.error(`${missing} service(s) have no packaged functions: run \`npm run package\` first.`);
if (over.length) console.error(`${over.length} function(s) over their bundle budget.`);
process.exit(over.length || missing ? 1 : 0);
