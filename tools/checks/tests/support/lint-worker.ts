// Lints sample modules for the import-boundary tests as `nx lint` does: ESLint finds eslint.config.js itself.
// It is a worker because ESLint loads that file with import(), which Jest's CommonJS sandbox refuses; Node runs it
// as it is (type stripping).
import { parentPort, workerData } from 'node:worker_threads';
import { createProjectGraphAsync } from '@nx/devkit';
import { ESLint } from 'eslint';

/** A sample to lint, and what the test gets back: the problems found, or why linting failed. */
export interface LintRequest {
  id: number;
  filePath: string;
  code: string;
}
export type LintAnswer = { id: number; problems: { ruleId: string | null; message: string }[] } | { id: number; error: string };

const port = parentPort;
if (!port) throw new Error('lint-worker.ts runs as a worker thread');
const eslint = new ESLint({ cwd: (workerData as { cwd: string }).cwd });
// The Nx rule skips itself, with no error, when no project graph is cached: build one first.
const ready = createProjectGraphAsync();

port.on('message', async ({ id, filePath, code }: LintRequest) => {
  let answer: LintAnswer;
  try {
    await ready;
    const [result] = await eslint.lintText(code, { filePath });
    answer = { id, problems: (result?.messages ?? []).map(({ ruleId, message }) => ({ ruleId, message })) };
  } catch (error) {
    answer = { id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  port.postMessage(answer);
});
