import { copyFileSync, lstatSync, mkdirSync, readdirSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import { type ComposeService, stageRoot, workspaceRoot } from './services.ts';

/** Left out of a mirrored service: the framework's and the bundler's work folders, which belong to the local stage. */
const SERVICE_OUTPUTS = new Set(['.serverless', '.esbuild', 'node_modules']);
/** Left out of the mirrored workspace root: the services (mirrored one by one), the mirrors themselves, and git. */
const NOT_MIRRORED = new Set(['apps', '.stages', '.git']);

/** Points `path` at `target` (relative, so the mirror survives a move of the workspace), replacing what was there. */
function link(target: string, path: string): void {
  const relativeTarget = relative(join(path, '..'), target);
  try {
    if (lstatSync(path).isSymbolicLink() && readlinkSync(path) === relativeTarget) return;
    rmSync(path, { recursive: true, force: true });
  } catch {
    // Nothing there yet.
  }
  symlinkSync(relativeTarget, path);
}

/**
 * The folder to run `serverless package` in for a stage other than local: `.stages/<stage>/apps/<service>`, a mirror
 * of the service in a mirror of the workspace. osls and serverless-esbuild always work in `<service>/.serverless`
 * and `<service>/.esbuild` (osls empties `.serverless` first, even with `--package <dir>`), so packaging prod in the
 * service's own folder would wipe the local stage's package. The mirror links every file of the service and of the
 * workspace root, so `../../libs/...` and `resources/...` resolve as in the service; only serverless.yml is copied,
 * since osls does not take a symbolic link for a service's configuration. Each stage then has its own work folders: stages can
 * be packaged one after another or side by side, and the local package stays as it was.
 */
export function stageServiceDir(service: Pick<ComposeService, 'dir'>, stage: string): string {
  const root = stageRoot(stage);
  const dir = join(root, relative(workspaceRoot, service.dir));
  mkdirSync(dir, { recursive: true });
  for (const entry of readdirSync(workspaceRoot)) if (!NOT_MIRRORED.has(entry)) link(join(workspaceRoot, entry), join(root, entry));
  const entries = readdirSync(service.dir);
  // A file the service no longer has leaves the mirror too.
  for (const stale of readdirSync(dir))
    if (!entries.includes(stale) && !SERVICE_OUTPUTS.has(stale)) rmSync(join(dir, stale), { force: true });
  for (const entry of entries) {
    if (SERVICE_OUTPUTS.has(entry)) continue;
    if (entry === 'serverless.yml') {
      rmSync(join(dir, entry), { force: true });
      copyFileSync(join(service.dir, entry), join(dir, entry));
    } else link(join(service.dir, entry), join(dir, entry));
  }
  return dir;
}
