import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { formatFiles, generateFiles, getProjects, names, OverwriteStrategy, type Tree } from '@nx/devkit';
import { parse } from 'yaml';

const TEMPLATES = join(import.meta.dirname, 'files');
const ROUTES_FILE = 'libs/contracts/src/http-routes.ts';
const CONTRACTS_INDEX = 'libs/contracts/src/index.ts';
const COMPOSE_FILE = 'serverless-compose.yml';

export interface ServiceGeneratorOptions {
  name: string;
}

/**
 * `nx g @storefront/workspace:service <name>`: a service in the house shape that lints, typechecks,
 * packages, passes its tests and comes up under `npm start` as generated. It subscribes to the orders
 * topic and serves one route, so each pattern is there to copy; rename and replace from there.
 * It only ever adds: it refuses a name that is taken and never replaces an existing file.
 */
export default async function serviceGenerator(tree: Tree, options: ServiceGeneratorOptions) {
  const name = validName(options.name);
  const { className, propertyName } = names(name);
  const routeName = `get${className}OrderRecord`;
  const substitutions = { name, className, routeName, tmpl: '' };
  refuseToReplaceAnything(tree, name, substitutions);

  // Throwing on an existing file backs up the check above, should the two ever disagree on a path.
  generateFiles(tree, TEMPLATES, '.', substitutions, { overwriteStrategy: OverwriteStrategy.ThrowIfExisting });
  addRouteContract(tree, { name, className, routeName });
  addToCompose(tree, name);
  await formatFiles(tree);

  // The OpenAPI document is generated from the contracts the service now adds to; a test keeps it current.
  return () => {
    execFileSync(process.execPath, ['tools/checks/src/openapi.ts'], { cwd: tree.root, stdio: 'inherit' });
    console.log(`\n${propertyName}: next, run \`npx nx run ${name}:test\`, then \`npm start\` and GET /${name}/orders/<orderId>.`);
  };
}

/** Function role names (`storefront-<name>-<stage>-<function>-<region>`) must fit IAM's 64 characters. */
function validName(name: string): string {
  if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(name) || name.length > 16)
    throw new Error(`"${name}" is not a service name: use 1-16 lower-case letters, digits and dashes, starting with a letter`);
  return name;
}

/**
 * Fails, naming what is in the way, before anything is written: a service (or any Nx project) of that name,
 * or any file the templates would create, such as a contract in libs/contracts written by hand beforehand.
 */
function refuseToReplaceAnything(tree: Tree, name: string, substitutions: Record<string, string>) {
  const taken = whereNameIsTaken(tree, name);
  if (taken) throw new Error(`Cannot create service "${name}": ${taken}. The generator only creates new services; pick another name.`);
  const existing = filesToCreate(substitutions).filter((file) => tree.exists(file));
  if (existing.length > 0)
    throw new Error(
      `Cannot create service "${name}": ${existing.join(', ')} exist(s) already, and the generator never overwrites a file. Move it away or pick another name.`,
    );
}

/** Where a service (or another Nx project) of this name already shows, if anywhere. */
function whereNameIsTaken(tree: Tree, name: string): string | undefined {
  const folder = [`apps/${name}`, `libs/${name}`].find((path) => tree.exists(path));
  if (folder) return `${folder} exists already`;
  const project = getProjects(tree).get(name);
  if (project) return `an Nx project of that name exists already (in ${project.root})`;
  const compose = parse(read(tree, COMPOSE_FILE)) as { services?: Record<string, unknown> } | null;
  if (compose?.services && name in compose.services) return `${COMPOSE_FILE} declares it already`;
  if (read(tree, ROUTES_FILE).includes(`service: '${name}'`)) return `${ROUTES_FILE} has routes for it already`;
  return undefined;
}

/** Where generateFiles puts each template: its path under files/ with every `__key__` substituted (`__tmpl__` by nothing). */
function filesToCreate(substitutions: Record<string, string>): string[] {
  return readdirSync(TEMPLATES, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) =>
      Object.entries(substitutions).reduce(
        (path, [key, value]) => path.split(`__${key}__`).join(value),
        relative(TEMPLATES, join(entry.parentPath, entry.name)),
      ),
    );
}

function addRouteContract(tree: Tree, { name, className, routeName }: { name: string; className: string; routeName: string }) {
  const routes = read(tree, ROUTES_FILE);
  const table = routes.indexOf('export const HttpRoutes = {');
  const closing = routes.indexOf('\n};\n', table);
  if (table < 0 || closing < 0) throw new Error(`${ROUTES_FILE} no longer ends HttpRoutes with "};": update this generator`);
  // The request part is an export of its own (what the handler imports), so a bundle builds only its route's schemas.
  const request = `export const ${routeName}Route = request({
  path: OrderIdPath,
  access: 'admin',
});

`;
  const route = `
  ${routeName}: route({
    service: '${name}',
    method: 'GET',
    template: '/${name}/orders/{orderId}',
    summary: 'What the ${name} service recorded about an order',
    responses: { 200: ${className}OrderRecord },
    problems: [400, 404],
    ...${routeName}Route,
  }),`;
  const withImport = `import { ${className}OrderRecord } from './${name}-api';\n${routes.slice(0, table)}${request}${routes.slice(table, closing)}${route}${routes.slice(closing)}`;
  tree.write(ROUTES_FILE, withImport);

  tree.write(
    CONTRACTS_INDEX,
    `${read(tree, CONTRACTS_INDEX)}export { ${className}OrderRecord } from './${name}-api';\nexport { ${routeName}Route } from './http-routes';\n`,
  );
}

function addToCompose(tree: Tree, name: string) {
  const entry = `
  ${name}:
    path: apps/${name}
    params:
      httpApiId: \${platform.HttpApiId}
      httpApiAuthorizerId: \${platform.HttpApiAuthorizerId}
      alertsTopicArn: \${platform.AlertsTopicArn}
      ordersTopicArn: \${platform.OrdersTopicArn}
`;
  tree.write(COMPOSE_FILE, `${read(tree, COMPOSE_FILE).trimEnd()}\n${entry}`);
}

function read(tree: Tree, file: string): string {
  const text = tree.read(file, 'utf8');
  if (text === null) throw new Error(`${file} is missing`);
  return text;
}
