// Lints sample modules for the import-boundary tests as `nx lint` does: ESLint finds eslint.config.js itself.
// It is a worker because ESLint loads that file with import(), which Jest's CommonJS sandbox refuses.
import { parentPort, workerData } from 'node:worker_threads';
import { createProjectGraphAsync } from '@nx/devkit';
import { ESLint } from 'eslint';

const eslint = new ESLint({ cwd: workerData.cwd });
// The Nx rule skips itself, with no error, when no project graph is cached: build one first.
const ready = createProjectGraphAsync();

parentPort.on('message', async ({ id, filePath, code }) => {
  try {
    await ready;
    const [result] = await eslint.lintText(code, { filePath });
    parentPort.postMessage({ id, problems: result.messages.map(({ ruleId, message }) => ({ ruleId, message })) });
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error.stack : String(error) });
  }
});
