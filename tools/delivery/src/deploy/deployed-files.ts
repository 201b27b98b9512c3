/**
 * Which changed files can change what a deploy ships, read from nx.json so the plan follows the same definitions
 * as the tasks: a project's files count when they are in its `production` input (its tests do not ship), and a
 * file outside every project counts for all services when the `package` target reads it from the workspace root
 * (`serverless-compose.yml`, `package-lock.json`, `tsconfig.base.json`).
 */
import { matchesGlob } from 'node:path';

type Input = string | Record<string, unknown>;

export interface NxJson {
  namedInputs?: Record<string, Input[]>;
  targetDefaults?: Record<string, { inputs?: Input[] }>;
}

export interface DeployedFiles {
  /** Whether a file of the project rooted at `root` is shipped (part of its production input). */
  ships(file: string, root: string): boolean;
  /** Whether a file outside every project is read by every service's package. */
  readByEveryPackage(file: string): boolean;
}

interface Globs {
  include: string[];
  exclude: string[];
}

/** Flattens inputs to file globs, following named inputs; `^` (dependencies') inputs and other kinds are left out. */
function globsOf(inputs: Input[], named: Record<string, Input[]>, seen = new Set<string>()): Globs {
  const globs: Globs = { include: [], exclude: [] };
  for (const input of inputs) {
    if (typeof input !== 'string' || input.startsWith('^')) continue;
    if (input.includes('{')) {
      (input.startsWith('!') ? globs.exclude : globs.include).push(input.replace(/^!/, ''));
    } else if (named[input] && !seen.has(input)) {
      const nested = globsOf(named[input], named, new Set([...seen, input]));
      globs.include.push(...nested.include);
      globs.exclude.push(...nested.exclude);
    }
  }
  return globs;
}

const matchesAny = (file: string, globs: string[]) => globs.some((glob) => glob === file || matchesGlob(file, glob));

export function deployedFiles(nxJson: NxJson): DeployedFiles {
  const named = nxJson.namedInputs ?? {};
  const production = globsOf(named.production ?? ['{projectRoot}/**/*'], named);
  const packageInputs = globsOf(nxJson.targetDefaults?.package?.inputs ?? [], named);
  const inWorkspace = (globs: string[]) =>
    globs.filter((g) => g.startsWith('{workspaceRoot}/')).map((g) => g.slice('{workspaceRoot}/'.length));
  const workspaceFiles = { include: inWorkspace(packageInputs.include), exclude: inWorkspace(packageInputs.exclude) };
  return {
    ships(file, root) {
      const inProject = (globs: string[]) =>
        globs.filter((g) => g.startsWith('{projectRoot}/')).map((g) => g.replace('{projectRoot}', root));
      return matchesAny(file, inProject(production.include)) && !matchesAny(file, inProject(production.exclude));
    },
    readByEveryPackage: (file) => matchesAny(file, workspaceFiles.include) && !matchesAny(file, workspaceFiles.exclude),
  };
}
