import { cpSync, mkdirSync, readdirSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { ComposeService } from './services.ts';
import { workspaceRoot } from './services.ts';

/** A service's build folders: never mirrored, each stage has its own. */
const BUILD_FOLDERS = new Set(['.serverless', '.esbuild', 'node_modules']);

/**
 * The folder a service is packaged in for a stage. The local stage packages in the service's own folder (the
 * local stack and the tests read `apps/<service>/.serverless`). Any other stage packages in a mirror of it under
 * `.local/stages/<stage>/`, at the same depth, so `../../libs` paths hold: there its templates and zips never
 * replace the local ones, and two stages can be packaged side by side.
 */
export function stageFolder(service: Pick<ComposeService, 'dir'>, stage: string): string {
  return stage === 'local' ? service.dir : join(workspaceRoot, '.local/stages', stage, relative(workspaceRoot, service.dir));
}

/**
 * Lays out a service's mirror for a stage: its files linked to the real ones (so packaging reads the code as it is
 * now) and `libs` linked beside it. serverless.yml is copied, because the framework refuses a linked one.
 */
export function prepareStageFolder(service: Pick<ComposeService, 'dir'>, stage: string): string {
  const folder = stageFolder(service, stage);
  if (folder === service.dir) return folder;
  const stageRoot = join(workspaceRoot, '.local/stages', stage);
  mkdirSync(folder, { recursive: true });
  linkOnce(join(workspaceRoot, 'libs'), join(stageRoot, 'libs'));
  for (const entry of readdirSync(folder)) if (!BUILD_FOLDERS.has(entry)) rmSync(join(folder, entry), { recursive: true, force: true });
  for (const entry of readdirSync(service.dir)) {
    if (BUILD_FOLDERS.has(entry)) continue;
    if (entry === 'serverless.yml') cpSync(join(service.dir, entry), join(folder, entry));
    else symlinkSync(relative(folder, join(service.dir, entry)), join(folder, entry));
  }
  return folder;
}

/** Services of one stage are prepared side by side: the shared link is made once and left alone after. */
function linkOnce(target: string, link: string) {
  const wanted = relative(join(link, '..'), target);
  try {
    if (readlinkSync(link) === wanted) return;
  } catch {
    // not there yet
  }
  rmSync(link, { force: true });
  try {
    symlinkSync(wanted, link);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}
