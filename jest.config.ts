import type { Config } from 'jest';

/** Runs every project's tests in one Jest process; each project keeps its own jest.config.ts for `nx test`. */
const config: Config = {
  projects: ['<rootDir>/apps/*/jest.config.ts', '<rootDir>/libs/*/jest.config.ts'],
};

export default config;
