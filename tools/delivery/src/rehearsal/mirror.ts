/**
 * The workspace the rehearsal deploys from: a copy of this one's files (tracked, and new ones git does not ignore),
 * sharing its node_modules, in a git repository of its own with one commit. `serverless deploy` packages into each
 * service's `.serverless`, which would replace the local packages the tests and `npm start` read; in the mirror it
 * touches nothing here, and a change made for the affected deploy stays there.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

export function mirrorWorkspace(root: string, dir: string): string {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  // node_modules is shared below, even where it is a link git does not ignore (a worktree's).
  const files = git(root, 'ls-files', '--cached', '--others', '--exclude-standard', '-z')
    .split('\0')
    .filter((file) => file && file !== 'node_modules');
  for (const file of files) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    try {
      copyFileSync(join(root, file), join(dir, file));
    } catch (error) {
      // A file deleted in the working tree but not yet in git's index is not part of the workspace.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  git(dir, 'init', '--quiet', '--initial-branch=main');
  git(dir, 'add', '--all');
  git(dir, '-c', 'user.name=rehearsal', '-c', 'user.email=rehearsal@localhost', 'commit', '--quiet', '-m', 'the workspace as rehearsed');
  return dir;
}
