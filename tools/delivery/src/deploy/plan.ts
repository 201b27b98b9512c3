/**
 * Which services a change must deploy, in compose order, and why each one. A service is in the plan when a file
 * it ships changed, when it depends (through shipped code, Nx's declared edges or compose params) on a project
 * whose shipped files changed, or when a workspace file every package reads changed. Pure: the graph, the changed
 * files and nx.json's definitions come in as values.
 */
import type { ComposeService } from '#packaging';
import type { DeployedFiles } from './deployed-files.ts';

export interface WorkspaceGraph {
  /** Every project's root folder, by project name. */
  roots: Record<string, string>;
  /** What each project depends on; `files` are the source files that make the edge (none for declared edges). */
  dependencies: Record<string, { target: string; files: string[] }[]>;
}

export interface PlannedService {
  service: string;
  why: string;
}

export interface PlanInput {
  services: Pick<ComposeService, 'name' | 'dir' | 'params' | 'dependsOn'>[];
  /** Service name → its Nx project name (the same by convention, matched by folder). */
  projectOf: (service: string) => string | undefined;
  graph: WorkspaceGraph;
  changedFiles: string[];
  deployed: DeployedFiles;
}

const listed = (files: string[]) => `${files[0]}${files.length > 1 ? ` and ${files.length - 1} more` : ''}`;

export function planDeploy({ services, projectOf, graph, changedFiles, deployed }: PlanInput): PlannedService[] {
  const ownerOf = (file: string) =>
    Object.entries(graph.roots)
      .filter(([, root]) => root !== '.' && (file === root || file.startsWith(`${root}/`)))
      .sort(([, a], [, b]) => b.length - a.length)[0];
  const changedIn = new Map<string, string[]>();
  const everywhere: string[] = [];
  for (const file of changedFiles) {
    const owner = ownerOf(file);
    if (owner && deployed.ships(file, owner[1])) changedIn.set(owner[0], [...(changedIn.get(owner[0]) ?? []), file]);
    else if (!owner && deployed.readByEveryPackage(file)) everywhere.push(file);
  }

  const toward = reachingChanges(graph, deployed, [...changedIn.keys()]);
  const serviceNamed = new Map(services.map((s) => [projectOf(s.name), s]));
  const hop = (from: string, to: string) => {
    const params = serviceNamed.get(from)?.params.filter((p) => p.from !== undefined && projectOf(p.from) === to) ?? [];
    return params.length ? `takes ${to}'s outputs (${params.map((p) => p.param).join(', ')})` : `uses ${to}`;
  };

  return services.flatMap((service) => {
    const project = projectOf(service.name);
    if (!project) return [];
    const own = changedIn.get(project);
    if (own) return [{ service: service.name, why: `changed: ${listed(own)}` }];
    if (toward.has(project)) {
      const path = [project];
      for (let next = toward.get(project); next; next = toward.get(next)) path.push(next);
      const changed = path.at(-1) as string;
      const hops = path.slice(0, -1).map((from, index) => hop(from, path[index + 1] as string));
      return [{ service: service.name, why: `${hops.join(', which ')}; ${changed} changed: ${listed(changedIn.get(changed) ?? [])}` }];
    }
    if (everywhere.length) return [{ service: service.name, why: `${listed(everywhere)} changed, which every service's package reads` }];
    return [];
  });
}

/**
 * For every project that depends, through shipped code or declared edges, on a changed project: the next project
 * on its shortest path to a change (breadth first from all changes at once). Edges made only by test files are not
 * followed: a lib a service's tests use does not change what the service ships.
 */
function reachingChanges(graph: WorkspaceGraph, deployed: DeployedFiles, changed: string[]): Map<string, string | undefined> {
  const dependents = new Map<string, string[]>();
  for (const [source, edges] of Object.entries(graph.dependencies))
    for (const { target, files } of edges) {
      const root = graph.roots[source] ?? source;
      if (files.length === 0 || files.some((file) => deployed.ships(file, root)))
        dependents.set(target, [...(dependents.get(target) ?? []), source]);
    }
  const next = new Map<string, string | undefined>(changed.map((project) => [project, undefined]));
  const queue = [...changed];
  for (let project = queue.shift(); project !== undefined; project = queue.shift())
    for (const dependent of dependents.get(project) ?? [])
      if (!next.has(dependent)) {
        next.set(dependent, project);
        queue.push(dependent);
      }
  return next;
}
