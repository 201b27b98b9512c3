#!/usr/bin/env node
/**
 * `npm run check:templates` (part of `npm test`): packages every service for every checked stage (no AWS
 * credentials; unchanged services are not packaged again), then checks each template, and every CloudFormation
 * template in deploy/, with cfn-lint and against our house rules. Prints each finding with its template and path;
 * exits 1 if there is any. A stage's templates are linted while the next stage packages.
 * Usage: node tools/delivery/src/check-templates.ts [--stage <name>]...
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { composeServices, describeFailure, packagedTemplateFile, packageServices, StackError, workspaceRoot } from '#packaging';
import { lintTemplates } from './cloudformation/cfn-lint.ts';
import { checkTemplate } from './cloudformation/check-template.ts';
import type { StageRules } from './cloudformation/house-rules.ts';
import { readTemplateFile } from './cloudformation/template-file.ts';
import type { Finding } from './cloudformation/template.ts';
import { CHECKED_STAGES } from './stages.ts';

/** Templates deployed outside compose (the pipeline's own), under the strictest rules: they hold long-lived resources. */
const STANDALONE_TEMPLATES = 'deploy';
const STANDALONE_RULES: StageRules = { tablesKeepData: true, secretsKeptOut: true, watched: true };

const { values } = parseArgs({ options: { stage: { type: 'string', multiple: true } } });
const stages = values.stage?.length ? CHECKED_STAGES.filter((s) => values.stage?.includes(s.name)) : CHECKED_STAGES;
const started = Date.now();
const services = composeServices();

/** Each checked template by the name it is reported under, with its file and its house-rule findings. */
const checked = new Map<string, { file: string; findings: Finding[] }>();
const linted: Promise<void>[] = [];

/** Checks a batch of templates against the house rules now and with cfn-lint in the background. */
function check(templates: { name: string; file: string; rules: StageRules }[]): void {
  for (const { name, file, rules } of templates) checked.set(name, { file, findings: checkTemplate(readTemplateFile(file), rules) });
  linted.push(
    lintTemplates(templates.map((t) => t.file)).then((byFile) => {
      for (const { name, file } of templates) checked.get(name)?.findings.push(...(byFile.get(file) ?? []));
    }),
  );
}

try {
  const standalone = join(workspaceRoot, STANDALONE_TEMPLATES);
  const standaloneFiles = existsSync(standalone) ? readdirSync(standalone).filter((f) => /\.(ya?ml|json)$/.test(f)) : [];
  check(standaloneFiles.map((f) => ({ name: `${STANDALONE_TEMPLATES}/${f}`, file: join(standalone, f), rules: STANDALONE_RULES })));
  for (const stage of stages) {
    await packageServices(services, { stage: stage.name, quiet: true });
    for (const service of services)
      if (!existsSync(packagedTemplateFile(service, stage.name)))
        throw new StackError(`${relative(workspaceRoot, packagedTemplateFile(service, stage.name))} is missing after packaging`);
    check(services.map((s) => ({ name: `${stage.name}/${s.name}`, file: packagedTemplateFile(s, stage.name), rules: stage })));
  }
  await Promise.all(linted);
} catch (error) {
  console.error(describeFailure(error));
  process.exit(1);
}

for (const [name, { findings }] of checked) {
  console.log(`${findings.length ? '✘' : '✔'} ${name}${findings.length ? `: ${findings.length} finding(s)` : ''}`);
  for (const { at, problem } of findings) console.log(`    ${at}: ${problem}`);
}
const total = [...checked.values()].reduce((sum, { findings }) => sum + findings.length, 0);
console.log(
  `${checked.size} templates checked with cfn-lint and the house rules (stages ${stages.map((s) => s.name).join(', ')} and ` +
    `${STANDALONE_TEMPLATES}/), ${total} finding(s) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
);
process.exit(total ? 1 : 0);
