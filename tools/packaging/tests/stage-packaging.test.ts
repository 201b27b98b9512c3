import { existsSync, lstatSync, readdirSync, readFileSync, realpathSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { packageServices } from '../src/packaging.ts';
import { composeServices, packageDir, stageRoot, workspaceRoot } from '../src/services.ts';
import { stageServiceDir } from '../src/stage-workspace.ts';
import { packagedTemplate } from '../src/template.ts';

// A stage of this test alone, so it never meets the dev and prod packages other tests read.
const STAGE = 'pkgtest';
const platform = composeServices().find((service) => service.name === 'platform')!;

/** Every file and folder under a directory with its size and modification time, to show nothing there changed. */
function snapshot(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .sort()
    .map((path) => {
      const stats = statSync(join(dir, path));
      return `${path} ${stats.size} ${stats.mtimeMs}`;
    });
}

afterAll(() => rmSync(stageRoot(STAGE), { recursive: true, force: true }));

describe('packaging a stage other than local', () => {
  it('packages in a mirror of the service: its files linked, serverless.yml copied, the workspace paths it reaches resolved', () => {
    const dir = stageServiceDir(platform, STAGE);

    expect(dir).toBe(join(workspaceRoot, '.stages', STAGE, 'apps/platform'));
    expect(lstatSync(join(dir, 'serverless.yml')).isFile()).toBe(true);
    expect(readFileSync(join(dir, 'serverless.yml'), 'utf8')).toBe(readFileSync(join(platform.dir, 'serverless.yml'), 'utf8'));
    expect(realpathSync(join(dir, 'tests'))).toBe(join(platform.dir, 'tests'));
    expect(realpathSync(join(dir, '../../libs/serverless-base/serverless.base.cjs'))).toBe(
      join(workspaceRoot, 'libs/serverless-base/serverless.base.cjs'),
    );
    expect(existsSync(join(dir, '.serverless'))).toBe(false);
  });

  it("leaves the service's own folder, the local stage's package included, exactly as it was", async () => {
    const before = snapshot(platform.dir);

    await packageServices([platform], { stage: STAGE, quiet: true });

    expect(packageDir(platform, STAGE)).toBe(join(workspaceRoot, '.stages', STAGE, 'apps/platform/.serverless'));
    expect(Object.keys(packagedTemplate(platform, STAGE)?.Resources ?? {})).toContain('HttpApi');
    expect(snapshot(platform.dir)).toEqual(before);
  }, 120_000);

  it('ships the zips the local stage built from the same sources, byte for byte, instead of bundling them again', async () => {
    // Notifications has functions (the platform has none) and takes the platform's outputs.
    const services = composeServices().filter((service) => ['platform', 'notifications'].includes(service.name));
    const notifications = services.find((service) => service.name === 'notifications')!;
    await packageServices(services, { only: ['notifications'], quiet: true });

    const { results } = await packageServices(services, { stage: STAGE, only: ['notifications'], quiet: true });

    const zips = readdirSync(packageDir(notifications)).filter((file) => file.endsWith('.zip'));
    const artifacts = Object.values(packagedTemplate(notifications, STAGE)?.Resources ?? {})
      .filter((resource) => resource.Type === 'AWS::Lambda::Function')
      .map((resource) => (resource.Properties?.Code as { S3Key: string }).S3Key.split('/').pop());
    expect(results.get('notifications')).toMatchObject({ packaged: true, reusedBundles: true });
    expect(zips.length).toBeGreaterThan(0);
    expect(artifacts.sort()).toEqual([...zips].sort());
    for (const zip of zips)
      expect(readFileSync(join(packageDir(notifications, STAGE), zip)).equals(readFileSync(join(packageDir(notifications), zip)))).toBe(
        true,
      );
  }, 120_000);
});
