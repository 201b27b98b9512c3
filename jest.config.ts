import type { Config } from 'jest';

/** Runs every project's tests in one Jest process; each project keeps its own jest.config.ts for `nx test`. */
const config: Config = {
  // A global option under `projects`: integration tests start DynamoDB Local, end-to-end tests the whole stack.
  testTimeout: 60_000,
  projects: [
    '<rootDir>/apps/*/jest.config.ts',
    '<rootDir>/libs/*/jest.config.ts',
    '<rootDir>/tools/jest.config.ts',
    '<rootDir>/e2e/jest.config.ts',
  ],
};

export default config;
