import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';

export const workspaceRoot = new URL('../../..', import.meta.url).pathname.replace(/\/$/, '');

/**
 * Where the Node processes the tools start keep V8's compiled code (NODE_COMPILE_CACHE): the first osls,
 * serverless-offline, tsc or Jest process compiles its modules, the ones after it load that code instead.
 */
export const NODE_COMPILE_CACHE_DIR = join(workspaceRoot, 'node_modules/.cache/node-compile-cache');

/** The stage of `npm start`, `npm run package` and the tests: its packages are each service's own `.serverless`. */
export const LOCAL_STAGE = 'local';

/**
 * Where a stage's services are packaged: the workspace itself for the local stage, `.stages/<stage>/` for any other
 * (a mirror of the workspace, see stage-workspace.ts), so packaging dev or prod never touches what the local stack
 * and the tests read.
 */
export const stageRoot = (stage: string): string => (stage === LOCAL_STAGE ? workspaceRoot : join(workspaceRoot, '.stages', stage));

/** The folder `serverless package` leaves a service's template and zips in, for a stage. */
export const packageDir = (service: Pick<ComposeService, 'dir'>, stage: string = LOCAL_STAGE): string =>
  join(stageRoot(stage), relative(workspaceRoot, service.dir), '.serverless');

/** A compose param: another service's output, an environment variable, or a literal value. */
export type ServiceParam =
  | { param: string; from: string; output: string; env?: undefined; value?: undefined }
  | { param: string; env: string; from?: undefined; value?: undefined }
  | { param: string; value: string; from?: undefined; env?: undefined };

export interface ComposeService {
  name: string;
  dir: string;
  params: ServiceParam[];
  /** The services compose deploys before it: those whose outputs it takes, and those its `dependsOn` names. */
  dependsOn: string[];
}

/** The services whose outputs a service takes through its params: what a change to them reaches. */
export const outputsTakenFrom = (service: Pick<ComposeService, 'params'>): string[] => [
  ...new Set(service.params.flatMap((param) => (param.from ? [param.from] : []))),
];

interface ComposeFile {
  services: Record<string, { path: string; params?: Record<string, unknown>; dependsOn?: string | string[] }>;
}

/**
 * The services of serverless-compose.yml in dependency order, each with the
 * outputs it takes from others (`${platform.OrdersTopicArn}` params) and the
 * params it takes from the environment (`${env:NAME}`).
 */
export function composeServices(root = workspaceRoot): ComposeService[] {
  const compose = parse(readFileSync(join(root, 'serverless-compose.yml'), 'utf8')) as ComposeFile;
  const services = Object.entries(compose.services).map(([name, service]) => {
    const params = Object.entries(service.params ?? {}).map(([param, value]): ServiceParam => {
      const output = /^\$\{([\w-]+)\.([\w-]+)\}$/.exec(String(value));
      if (output) return { param, from: output[1] as string, output: output[2] as string };
      const environment = /^\$\{env:(\w+)\}$/.exec(String(value));
      return environment ? { param, env: environment[1] as string } : { param, value: String(value) };
    });
    const dependsOn = [...new Set([...outputsTakenFrom({ params }), ...[service.dependsOn ?? []].flat()])];
    return { name, dir: join(root, service.path), params, dependsOn };
  });
  return topologicalOrder(services);
}

function topologicalOrder(services: ComposeService[]): ComposeService[] {
  const byName = new Map(services.map((s) => [s.name, s]));
  const ordered: ComposeService[] = [];
  const visiting = new Set<string>();
  const visit = (service: ComposeService) => {
    if (ordered.includes(service)) return;
    if (visiting.has(service.name)) throw new Error(`serverless-compose.yml has a dependency cycle through ${service.name}`);
    visiting.add(service.name);
    for (const dependency of service.dependsOn) {
      const target = byName.get(dependency);
      if (!target) throw new Error(`${service.name} takes outputs from unknown service ${dependency}`);
      visit(target);
    }
    ordered.push(service);
  };
  services.forEach(visit);
  return ordered;
}

/** The service name from serverless.yml; the stack is `<service>-<stage>`. */
export function serviceName(service: Pick<ComposeService, 'dir'>): string {
  const match = /^service:\s*([\w-]+)/m.exec(readFileSync(join(service.dir, 'serverless.yml'), 'utf8'));
  if (!match) throw new Error(`${service.dir}/serverless.yml has no service name`);
  return match[1] as string;
}
