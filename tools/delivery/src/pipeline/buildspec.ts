/**
 * A structural check of a CodeBuild buildspec (version 0.2), for which no offline linter exists on npm: the keys
 * CodeBuild knows at each level, phases made of command lists, plain string variables, and the deploy it runs
 * being the same `npm run deploy:affected` as the GitHub workflow.
 */
import { parse } from 'yaml';
import type { PipelineFinding } from './findings.ts';

const TOP_LEVEL = ['version', 'run-as', 'env', 'proxy', 'batch', 'phases', 'reports', 'artifacts', 'cache'];
const ENV = ['shell', 'variables', 'parameter-store', 'exported-variables', 'secrets-manager', 'git-credential-helper'];
const PHASES = ['install', 'pre_build', 'build', 'post_build'];
const PHASE = ['run-as', 'on-failure', 'runtime-versions', 'commands', 'finally'];
const SAME_DEPLOY = /npm run deploy:affected\b/;

type Node = Record<string, unknown>;
const isNode = (value: unknown): value is Node => typeof value === 'object' && value !== null && !Array.isArray(value);
const unknownKeys = (node: Node, known: string[], where: string, file: string): PipelineFinding[] =>
  Object.keys(node)
    .filter((key) => !known.includes(key))
    .map((key) => ({ file, problem: `${where}${key} is not a buildspec key (known: ${known.join(', ')})` }));

export function buildspecFindings(text: string, file: string): PipelineFinding[] {
  const spec = parse(text) as unknown;
  if (!isNode(spec)) return [{ file, problem: 'a buildspec is a YAML mapping' }];
  const findings = unknownKeys(spec, TOP_LEVEL, '', file);
  if (String(spec.version) !== '0.2') findings.push({ file, problem: `version must be 0.2, got ${String(spec.version)}` });

  if (spec.env !== undefined) {
    if (!isNode(spec.env)) findings.push({ file, problem: 'env must be a mapping' });
    else {
      findings.push(...unknownKeys(spec.env, ENV, 'env.', file));
      for (const [name, value] of Object.entries(isNode(spec.env.variables) ? spec.env.variables : {}))
        if (typeof value !== 'string') findings.push({ file, problem: `env.variables.${name} must be a string (quote it)` });
    }
  }

  const phases = isNode(spec.phases) ? spec.phases : {};
  if (!isNode(spec.phases)) findings.push({ file, problem: 'phases must be a mapping of install, pre_build, build, post_build' });
  findings.push(...unknownKeys(phases, PHASES, 'phases.', file));
  const commands: string[] = [];
  for (const [name, phase] of Object.entries(phases)) {
    if (!isNode(phase)) {
      findings.push({ file, problem: `phases.${name} must be a mapping` });
      continue;
    }
    findings.push(...unknownKeys(phase, PHASE, `phases.${name}.`, file));
    const list = phase.commands;
    if (!Array.isArray(list) || list.some((command) => typeof command !== 'string'))
      findings.push({ file, problem: `phases.${name}.commands must be a list of strings` });
    else commands.push(...list);
  }
  if (!commands.some((command) => SAME_DEPLOY.test(command)))
    findings.push({
      file,
      problem: 'runs no `npm run deploy:affected`: the pipeline must deploy with the same script as the GitHub workflow',
    });
  return findings;
}
