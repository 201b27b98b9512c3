#!/usr/bin/env node
/**
 * `npm run check:templates` (part of `npm test`): packages every service for every stage we ship (no AWS
 * credentials; unchanged services are not packaged again) and checks each template, and every CloudFormation
 * template in deploy/, against the CloudFormation resource model and our house rules. Prints each finding with
 * its template and path; exits 1 if there is any.
 * Usage: node tools/delivery/src/check-templates.ts [--stage <name>]...
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import {
  type CfnTemplate,
  composeServices,
  describeFailure,
  packagedTemplate,
  packagedTemplateFile,
  packageServices,
  StackError,
  workspaceRoot,
} from '#packaging';
import { checkTemplate } from './cloudformation/check-template.ts';
import type { StageRules } from './cloudformation/house-rules.ts';
import { readTemplateFile } from './cloudformation/template-file.ts';
import type { Finding } from './cloudformation/template.ts';
import { SHIPPED_STAGES } from './stages.ts';

/** Templates deployed outside compose (the pipeline's own), under the strictest rules: they hold long-lived resources. */
const STANDALONE_TEMPLATES = 'deploy';
const STANDALONE_RULES: StageRules = { tablesKeepData: true };

const { values } = parseArgs({ options: { stage: { type: 'string', multiple: true } } });
const stages = values.stage?.length ? SHIPPED_STAGES.filter((s) => values.stage?.includes(s.name)) : SHIPPED_STAGES;
const started = Date.now();
const services = composeServices();

interface Checked {
  name: string;
  findings: Finding[];
}
const checked: Checked[] = [];
const check = (name: string, template: CfnTemplate, rules: StageRules) => checked.push({ name, findings: checkTemplate(template, rules) });

try {
  for (const stage of stages) {
    await packageServices(services, { stage: stage.name, quiet: true });
    for (const service of services) {
      const template = packagedTemplate(service, stage.name);
      if (!template)
        throw new StackError(`${relative(workspaceRoot, packagedTemplateFile(service, stage.name))} is missing after packaging`);
      check(`${stage.name}/${service.name}`, template, stage);
    }
  }
} catch (error) {
  console.error(describeFailure(error));
  process.exit(1);
}
const standalone = join(workspaceRoot, STANDALONE_TEMPLATES);
for (const file of existsSync(standalone) ? readdirSync(standalone).filter((f) => /\.(ya?ml|json)$/.test(f)) : [])
  check(relative(workspaceRoot, join(standalone, file)), readTemplateFile(join(standalone, file)), STANDALONE_RULES);

for (const { name, findings } of checked) {
  console.log(`${findings.length ? '✘' : '✔'} ${name}${findings.length ? `: ${findings.length} finding(s)` : ''}`);
  for (const { at, problem } of findings) console.log(`    ${at}: ${problem}`);
}
const total = checked.reduce((sum, { findings }) => sum + findings.length, 0);
console.log(
  `${checked.length} templates checked (stages ${stages.map((s) => s.name).join(', ')} and ${STANDALONE_TEMPLATES}/), ` +
    `${total} finding(s) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
);
process.exit(total ? 1 : 0);
