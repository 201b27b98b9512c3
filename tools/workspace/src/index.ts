import { existsSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import {
  type CreateDependencies,
  createNodesFromFiles,
  type CreateNodesContextV2,
  type CreateNodesV2,
  DependencyType,
  type TargetConfiguration,
} from '@nx/devkit';
import { composeServices, outputsTakenFrom } from '@storefront/packaging';

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

/**
 * A service that takes another's outputs through compose params (`${platform.OrdersTopicArn}`) depends on it: the
 * edges come from serverless-compose.yml itself, so `nx affected`, packaging and `npm run deploy:affected` follow
 * the same graph, and a change to a service reaches every service that takes its outputs. A compose `dependsOn`
 * alone only orders deploys (the API's stage after the routes it throttles): it makes no edge, since a change to
 * the earlier service changes nothing the later one ships.
 */
export const createDependencies: CreateDependencies = (_options, context) => {
  const projectAt = new Map(Object.entries(context.projects).map(([name, project]) => [project.root, name]));
  const services = composeServices(context.workspaceRoot);
  const projectOf = (service: string) => {
    const found = services.find((s) => s.name === service);
    return found && projectAt.get(relative(context.workspaceRoot, found.dir));
  };
  return services.flatMap((service) =>
    outputsTakenFrom(service).flatMap((provider) => {
      const [source, target] = [projectOf(service.name), projectOf(provider)];
      return source && target ? [{ source, target, type: DependencyType.implicit }] : [];
    }),
  );
};
