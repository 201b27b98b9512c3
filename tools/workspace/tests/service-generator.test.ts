import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import serviceGenerator from '../src/generators/service/generator';

const workspaceRoot = join(import.meta.dirname, '../../..');
/** The workspace files the generator adds to, as they are today, so the test follows their real shape. */
const EDITED_FILES = ['libs/contracts/src/http-routes.ts', 'libs/contracts/src/index.ts', 'serverless-compose.yml'];

function aWorkspace(): Tree {
  // No formatter: what is asserted is what the generator wrote (the end-to-end test formats, lints and builds it).
  const tree = createTreeWithEmptyWorkspace({ formatter: 'none' });
  for (const file of EDITED_FILES) tree.write(file, readFileSync(join(workspaceRoot, file), 'utf8'));
  return tree;
}

/** Every file of the tree with its content, to show that a refused run wrote nothing. */
const contentsOf = (tree: Tree) => tree.listChanges().map((change) => [change.path, change.content?.toString('utf8')]);

describe('nx g @storefront/workspace:service, on an existing workspace', () => {
  it('creates the service, its contract, its route and its compose entry when nothing of that name exists', async () => {
    const tree = aWorkspace();

    await serviceGenerator(tree, { name: 'loyalty' });

    expect(tree.exists('apps/loyalty/serverless.yml')).toBe(true);
    expect(tree.exists('libs/contracts/src/loyalty-api.ts')).toBe(true);
    expect(tree.read('libs/contracts/src/http-routes.ts', 'utf8')).toContain("service: 'loyalty'");
    expect(tree.read('serverless-compose.yml', 'utf8')).toContain('path: apps/loyalty');
  });

  it('refuses to overwrite a contract written before the service, names the file, and writes nothing', async () => {
    const tree = aWorkspace();
    tree.write('libs/contracts/src/loyalty-api.ts', "export const LoyaltyTier = ['GOLD'] as const;\n");
    const before = contentsOf(tree);

    const run = serviceGenerator(tree, { name: 'loyalty' });

    await expect(run).rejects.toThrow(
      'Cannot create service "loyalty": libs/contracts/src/loyalty-api.ts exist(s) already, and the generator never overwrites a file',
    );
    expect(contentsOf(tree)).toEqual(before);
  });

  it.each([
    [
      'its folder in apps/',
      (tree: Tree) => tree.write('apps/loyalty/serverless.yml', 'service: storefront-loyalty\n'),
      'apps/loyalty exists already',
    ],
    ['a lib of that name', (tree: Tree) => tree.write('libs/loyalty/src/index.ts', 'export {};\n'), 'libs/loyalty exists already'],
    [
      'an Nx project of that name elsewhere',
      (tree: Tree) => tree.write('tools/loyalty/project.json', JSON.stringify({ name: 'loyalty', root: 'tools/loyalty' })),
      'an Nx project of that name exists already (in tools/loyalty)',
    ],
    [
      'its compose entry',
      (tree: Tree) =>
        tree.write('serverless-compose.yml', `${tree.read('serverless-compose.yml', 'utf8')}\n  loyalty:\n    path: apps/loyalty\n`),
      'serverless-compose.yml declares it already',
    ],
    [
      'its routes in the contracts',
      (tree: Tree) =>
        tree.write(
          'libs/contracts/src/http-routes.ts',
          (tree.read('libs/contracts/src/http-routes.ts', 'utf8') ?? '').replace("service: 'orders'", "service: 'loyalty'"),
        ),
      'libs/contracts/src/http-routes.ts has routes for it already',
    ],
  ])('refuses a service that exists already, found by %s, and writes nothing', async (_where, existing, reason) => {
    const tree = aWorkspace();
    existing(tree);
    const before = contentsOf(tree);

    const run = serviceGenerator(tree, { name: 'loyalty' });

    await expect(run).rejects.toThrow(`Cannot create service "loyalty": ${reason}.`);
    expect(contentsOf(tree)).toEqual(before);
  });
});
