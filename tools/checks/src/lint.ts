#!/usr/bin/env node
/**
 * Lints every project's files, as `nx run-many -t lint` does (`eslint --max-warnings=0 <project>` each), in one
 * ESLint process: one start-up and one project graph instead of one per project.
 * Usage: node tools/checks/src/lint.ts
 */
import { createProjectGraphAsync } from '@nx/devkit';
import { ESLint } from 'eslint';
import { workspaceRoot } from '#packaging';

// Every project lives under one of these; together they are the union of the projects' roots.
const PROJECT_FOLDERS = ['apps', 'libs', 'tools', 'e2e'];

// The Nx boundary rule skips itself, with only a warning, when no project graph is cached: build it first.
await createProjectGraphAsync({ exitOnError: true });
const eslint = new ESLint({ cwd: workspaceRoot });
const results = await eslint.lintFiles(PROJECT_FOLDERS);
const problems = results.reduce((sum, result) => sum + result.errorCount + result.warningCount, 0);
const report = await (await eslint.loadFormatter('stylish')).format(results);
if (report) console.log(report);
console.log(`${results.length} files linted, ${problems} problem(s)`);
// As --max-warnings=0: a warning fails too.
process.exit(problems ? 1 : 0);
