import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export const workspaceRoot = new URL('../../..', import.meta.url).pathname.replace(/\/$/, '');

/**
 * The services of serverless-compose.yml in dependency order, each with the
 * outputs it takes from others (`${platform.OrdersTopicArn}` params) and the
 * params it takes from the environment (`${env:PAGE_CURSOR_KEY}`).
 */
export function composeServices() {
  const compose = parse(readFileSync(join(workspaceRoot, 'serverless-compose.yml'), 'utf8'));
  const services = Object.entries(compose.services).map(([name, service]) => {
    const params = Object.entries(service.params ?? {}).map(([param, value]) => {
      const output = /^\$\{([\w-]+)\.([\w-]+)\}$/.exec(String(value));
      if (output) return { param, from: output[1], output: output[2] };
      const environment = /^\$\{env:(\w+)\}$/.exec(String(value));
      return environment ? { param, env: environment[1] } : { param, value: String(value) };
    });
    const dependsOn = [...new Set([...params.filter((p) => p.from).map((p) => p.from), ...[service.dependsOn ?? []].flat()])];
    return { name, dir: join(workspaceRoot, service.path), params, dependsOn };
  });
  return topologicalOrder(services);
}

function topologicalOrder(services) {
  const byName = new Map(services.map((s) => [s.name, s]));
  const ordered = [];
  const visiting = new Set();
  const visit = (service) => {
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

/** The compiled template `serverless package` left in a service's .serverless folder. */
export function packagedTemplate(service) {
  const file = join(service.dir, '.serverless/cloudformation-template-update-stack.json');
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
}

/** The service name from serverless.yml; the stack is `<service>-<stage>`. */
export function serviceName(service) {
  const match = /^service:\s*([\w-]+)/m.exec(readFileSync(join(service.dir, 'serverless.yml'), 'utf8'));
  if (!match) throw new Error(`${service.dir}/serverless.yml has no service name`);
  return match[1];
}
