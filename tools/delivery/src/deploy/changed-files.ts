import { execFileSync } from 'node:child_process';

const git = (args: string[], cwd: string) => execFileSync('git', args, { cwd, encoding: 'utf8' }).split('\n').filter(Boolean);

/**
 * The files changed since `base`, as `nx affected` counts them: from the merge base of `base` and `head` to
 * `head`, or, without `head`, to the working tree (uncommitted and untracked files included). Renames count
 * as both paths.
 */
export function changedFiles({ base, head, cwd }: { base: string; head?: string | undefined; cwd: string }): string[] {
  const mergeBase = git(['merge-base', base, head ?? 'HEAD'], cwd)[0] as string;
  const committed = git(['diff', '--name-only', '--no-renames', mergeBase, ...(head ? [head] : [])], cwd);
  const untracked = head ? [] : git(['ls-files', '--others', '--exclude-standard'], cwd);
  return [...new Set([...committed, ...untracked])].sort();
}
