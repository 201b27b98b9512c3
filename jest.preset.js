// Shared Jest settings: every project's jest.config.ts is `projectConfig(import.meta.dirname)`.
import { readFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const workspaceRoot = dirname(fileURLToPath(import.meta.url));
const { compilerOptions } = JSON.parse(readFileSync(join(workspaceRoot, 'tsconfig.base.json'), 'utf8'));

// The same @storefront/* aliases the compiler and esbuild use.
const aliasMapper = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [`^${alias}$`, join(workspaceRoot, target)]),
);

export function projectConfig(projectRoot) {
  return {
    displayName: basename(projectRoot),
    rootDir: projectRoot,
    // Node's environment, plus one DynamoDB Local per Jest process for the integration tests (emptyDynamoDbLocal()).
    testEnvironment: join(workspaceRoot, 'libs/testing/src/jest/environment.ts'),
    testMatch: ['<rootDir>/tests/**/*.test.ts', '<rootDir>/src/**/*.test.ts'],
    transform: { '^.+\\.(t|j|mj)s$': ['@swc/jest', { jsc: { target: 'es2023' }, module: { type: 'commonjs' } }] },
    moduleNameMapper: aliasMapper,
    // Integration tests may wait for DynamoDB Local (a JVM) to start: give them room on 2-core machines.
    setupFiles: [join(workspaceRoot, 'tools/checks/src/jest-setup.cjs')],
    testTimeout: 30_000,
    clearMocks: true,
    restoreMocks: true,
    cacheDirectory: join(workspaceRoot, 'node_modules/.cache/jest', relative(workspaceRoot, projectRoot)),
  };
}
