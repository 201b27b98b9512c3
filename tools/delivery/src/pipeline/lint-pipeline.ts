/** Every finding in the repository's pipeline files: its GitHub workflows and its CodeBuild buildspec. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { actionlintFindings } from './actionlint.ts';
import { buildspecFindings } from './buildspec.ts';
import type { PipelineFinding } from './findings.ts';
import { oidcFindings, storedKeyFindings } from './keyless.ts';

export const WORKFLOWS = '.github/workflows';
export const BUILDSPEC = 'buildspec.yml';

/** The pipeline files of a workspace, relative to it. */
export function pipelineFiles(root: string): string[] {
  const workflows = existsSync(join(root, WORKFLOWS))
    ? readdirSync(join(root, WORKFLOWS))
        .filter((file) => /\.ya?ml$/.test(file))
        .sort()
        .map((file) => `${WORKFLOWS}/${file}`)
    : [];
  return [...workflows, ...(existsSync(join(root, BUILDSPEC)) ? [BUILDSPEC] : [])];
}

export async function lintPipelineFile(file: string, text: string): Promise<PipelineFinding[]> {
  const keys = storedKeyFindings(text, file);
  if (file.startsWith(`${WORKFLOWS}/`)) return [...(await actionlintFindings(text, file)), ...oidcFindings(text, file), ...keys];
  return [...buildspecFindings(text, file), ...keys];
}

export async function lintPipeline(root: string): Promise<{ files: string[]; findings: PipelineFinding[] }> {
  const files = pipelineFiles(root);
  const findings: PipelineFinding[] = [];
  for (const file of files) findings.push(...(await lintPipelineFile(file, readFileSync(join(root, file), 'utf8'))));
  return { files, findings };
}
