import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { createNodesFromFiles, type CreateNodesContextV2, type CreateNodesV2, type TargetConfiguration } from '@nx/devkit';

/**
 * Infers every service's and lib's Nx project from the files that make it one, so a project.json holds only
 * what is particular to a project (or does not exist): a service is a folder in apps/ with a serverless.yml,
 * a lib a folder in libs/ with a src/index.ts. The targets' commands and inputs live in nx.json's
 * targetDefaults; here we only decide which targets a project has.
 */
export const createNodesV2: CreateNodesV2 = [
  '{apps/*/serverless.yml,libs/*/src/index.ts}',
  (files, _options, context) => createNodesFromFiles((file, _o, ctx) => projectFor(file, ctx), files, {}, context),
];

const target: TargetConfiguration = {};

function projectFor(file: string, context: CreateNodesContextV2) {
  const isService = basename(file) === 'serverless.yml';
  const root = isService ? dirname(file) : dirname(dirname(file));
  const has = (path: string) => existsSync(join(context.workspaceRoot, root, path));
  const hasCode = has('src');
  const hasTests = has('tests');
  const targets: Record<string, TargetConfiguration> = {
    ...(hasCode ? { lint: target, typecheck: target } : {}),
    ...(hasTests ? { test: target } : {}),
    // package: the local stage (the local stack, bundle budgets, tests); package-stages: dev and prod, for their template tests.
    ...(isService ? { package: target, 'package-stages': target, deploy: target } : {}),
    ...(isService && hasCode ? { serve: target } : {}),
  };
  return {
    projects: {
      [root]: {
        name: basename(root),
        projectType: isService ? ('application' as const) : ('library' as const),
        sourceRoot: `${root}/src`,
        tags: [isService ? 'type:app' : 'type:lib'],
        // Every service is packaged with the shared Serverless base, so a change to it affects them all.
        ...(isService ? { implicitDependencies: ['serverless-base'] } : {}),
        targets,
      },
    },
  };
}
