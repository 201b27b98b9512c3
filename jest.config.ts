import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from 'jest';
import { projectConfig } from './jest.preset.js';

/**
 * Every project's tests in one Jest process. A service or lib with a tests/ folder is a Jest project named after
 * its folder, on the shared preset; `nx test <name>` runs `jest --selectProjects <name>`. Only the e2e project
 * has settings of its own.
 */
const withTests = (parent: string) =>
  readdirSync(join(import.meta.dirname, parent), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(import.meta.dirname, parent, entry.name, 'tests')))
    .map((entry) => projectConfig(join(import.meta.dirname, parent, entry.name)));

const config: Config = {
  // A global option under `projects`: integration tests start DynamoDB Local, end-to-end tests the whole stack.
  testTimeout: 60_000,
  projects: [
    ...withTests('apps'),
    ...withTests('libs'),
    // jose (the local cloud's JWT signing and checking) ships only as an ES module: compiled for Jest like the sources.
    { ...projectConfig(join(import.meta.dirname, 'tools/local-cloud')), transformIgnorePatterns: ['/node_modules/(?!jose/)'] },
    ...withTests('tools').filter((project) => project.displayName !== 'local-cloud'),
    '<rootDir>/e2e/jest.config.ts',
  ],
};

export default config;
