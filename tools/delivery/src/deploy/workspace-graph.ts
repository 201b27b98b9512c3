/** Nx's project graph, reduced to what the deploy plan reads: project roots and, per edge, the files that make it. */
import { createProjectGraphAsync, type FileData } from '@nx/devkit';
// The per-file dependencies live only in the file map Nx caches beside the graph; devkit exposes no other door to them.
import { readFileMapCache } from 'nx/src/devkit-internals.js';
import type { WorkspaceGraph } from './plan.ts';

/** A file's dependency as Nx stores it: a target, [target, type] or [source, target, type]. */
const targetOf = (dependency: NonNullable<FileData['deps']>[number]) =>
  typeof dependency === 'string' ? dependency : dependency.length === 2 ? dependency[0] : dependency[1];

export async function loadWorkspaceGraph(): Promise<WorkspaceGraph> {
  const graph = await createProjectGraphAsync({ exitOnError: true });
  // Without it every edge counts as declared: the plan can only grow, never miss a service.
  const fileMap = readFileMapCache()?.fileMap.projectFileMap ?? {};
  const roots = Object.fromEntries(Object.entries(graph.nodes).map(([name, node]) => [name, node.data.root]));
  const dependencies = Object.fromEntries(
    Object.entries(graph.dependencies)
      .filter(([source]) => source in roots)
      .map(([source, edges]) => [
        source,
        edges
          .filter(({ target }) => target in roots)
          .map(({ target, type }) => ({
            target,
            // Declared edges (implicit dependencies, compose params) have no file behind them.
            files:
              type === 'implicit'
                ? []
                : (fileMap[source] ?? []).filter((f) => f.deps?.some((d) => targetOf(d) === target)).map((f) => f.file),
          })),
      ]),
  );
  return { roots, dependencies };
}
