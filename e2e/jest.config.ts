import { projectConfig } from '../jest.preset.js';

export default {
  ...projectConfig(import.meta.dirname),
  testMatch: ['<rootDir>/tests/**/*.test.ts'],
  // The suites that only drive the system share one stack (support/shared-stack.ts).
  testEnvironment: '<rootDir>/support/shared-stack-environment.ts',
  globalSetup: '<rootDir>/support/shared-stack-setup.ts',
  globalTeardown: '<rootDir>/support/shared-stack-teardown.ts',
};
