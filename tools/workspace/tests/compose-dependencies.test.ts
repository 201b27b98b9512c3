import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CreateDependenciesContext } from '@nx/devkit';
import { createDependencies } from '../src/index';

let workspace: string;

beforeEach(() => {
  workspace = mkdtempSync(join(tmpdir(), 'storefront-compose-graph-'));
});

afterEach(() => rmSync(workspace, { recursive: true, force: true }));

/** The Nx context for a workspace with these projects, as the plugin receives it. */
const contextFor = (projects: Record<string, string>) =>
  ({
    workspaceRoot: workspace,
    projects: Object.fromEntries(Object.entries(projects).map(([name, root]) => [name, { root }])),
  }) as unknown as CreateDependenciesContext;

describe("the workspace plugin's edges between services", () => {
  it('makes each service that takes outputs through compose params depend on the service giving them', async () => {
    writeFileSync(
      join(workspace, 'serverless-compose.yml'),
      [
        'services:',
        '  platform: { path: apps/platform }',
        '  orders:',
        '    path: apps/orders',
        '    params: { topicArn: "${platform.OrdersTopicArn}", region: us-east-1, key: "${env:KEY}" }',
        '  reporting:',
        '    path: apps/reporting',
        '    params: { ordersTableStreamArn: "${orders.OrdersTableStreamArn}", topicArn: "${platform.OrdersTopicArn}" }',
      ].join('\n'),
    );

    const edges = await createDependencies(
      undefined,
      contextFor({ platform: 'apps/platform', orders: 'apps/orders', reporting: 'apps/reporting' }),
    );

    expect(edges).toEqual([
      { source: 'orders', target: 'platform', type: 'implicit' },
      { source: 'reporting', target: 'orders', type: 'implicit' },
      { source: 'reporting', target: 'platform', type: 'implicit' },
    ]);
  });

  it('adds no edge for a dependsOn that only orders deploys', async () => {
    writeFileSync(
      join(workspace, 'serverless-compose.yml'),
      'services:\n  orders: { path: apps/orders }\n  api-stage:\n    path: apps/api-stage\n    dependsOn: orders\n',
    );

    expect(await createDependencies(undefined, contextFor({ orders: 'apps/orders', 'api-stage': 'apps/api-stage' }))).toEqual([]);
  });

  it('adds no edge for a service compose lists but Nx has no project for', async () => {
    writeFileSync(
      join(workspace, 'serverless-compose.yml'),
      'services:\n  platform: { path: apps/platform }\n  legacy:\n    path: services/legacy\n    params: { apiId: "${platform.HttpApiId}" }\n',
    );

    expect(await createDependencies(undefined, contextFor({ platform: 'apps/platform' }))).toEqual([]);
  });
});
