import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { formatFiles, generateFiles, names, type Tree } from '@nx/devkit';

export interface ServiceGeneratorOptions {
  name: string;
}

/**
 * `nx g @storefront/workspace:service <name>`: a service in the house shape that lints, typechecks,
 * packages, passes its tests and comes up under `npm start` as generated. It subscribes to the orders
 * topic and serves one route, so each pattern is there to copy; rename and replace from there.
 */
export default async function serviceGenerator(tree: Tree, options: ServiceGeneratorOptions) {
  const name = validName(options.name);
  if (tree.exists(`apps/${name}`)) throw new Error(`apps/${name} exists already; pick another name`);
  const { className, propertyName } = names(name);
  const routeName = `get${className}OrderRecord`;

  generateFiles(tree, join(import.meta.dirname, 'files'), '.', { name, className, routeName, tmpl: '' });
  addRouteContract(tree, { name, className, routeName });
  addToCompose(tree, name);
  await formatFiles(tree);

  // The OpenAPI document is generated from the contracts the service now adds to; a test keeps it current.
  return () => {
    execFileSync(process.execPath, ['tools/openapi.ts'], { cwd: tree.root, stdio: 'inherit' });
    console.log(`\n${propertyName}: next, run \`npx nx run ${name}:test\`, then \`npm start\` and GET /${name}/orders/<orderId>.`);
  };
}

/** Function role names (`storefront-<name>-<stage>-<function>-<region>`) must fit IAM's 64 characters. */
function validName(name: string): string {
  if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(name) || name.length > 16)
    throw new Error(`"${name}" is not a service name: use 1-16 lower-case letters, digits and dashes, starting with a letter`);
  return name;
}

function addRouteContract(tree: Tree, { name, className, routeName }: { name: string; className: string; routeName: string }) {
  const routesFile = 'libs/contracts/src/http-routes.ts';
  const routes = read(tree, routesFile);
  const closing = routes.indexOf('\n};\n', routes.indexOf('export const HttpRoutes = {'));
  if (closing < 0) throw new Error(`${routesFile} no longer ends HttpRoutes with "};": update this generator`);
  const route = `
  ${routeName}: route({
    service: '${name}',
    method: 'GET',
    template: '/${name}/orders/{orderId}',
    summary: 'What the ${name} service recorded about an order',
    path: OrderIdPath,
    responses: { 200: ${className}OrderRecord },
    problems: [400, 404],
  }),`;
  const withImport = `import { ${className}OrderRecord } from './${name}-api';\n${routes.slice(0, closing)}${route}${routes.slice(closing)}`;
  tree.write(routesFile, withImport);

  const indexFile = 'libs/contracts/src/index.ts';
  tree.write(indexFile, `${read(tree, indexFile)}export { ${className}OrderRecord } from './${name}-api';\n`);
}

function addToCompose(tree: Tree, name: string) {
  const composeFile = 'serverless-compose.yml';
  const entry = `
  ${name}:
    path: apps/${name}
    params:
      httpApiId: \${platform.HttpApiId}
      alertsTopicArn: \${platform.AlertsTopicArn}
      ordersTopicArn: \${platform.OrdersTopicArn}
      pageCursorKey: \${env:PAGE_CURSOR_KEY}
`;
  tree.write(composeFile, `${read(tree, composeFile).trimEnd()}\n${entry}`);
}

function read(tree: Tree, file: string): string {
  const text = tree.read(file, 'utf8');
  if (text === null) throw new Error(`${file} is missing`);
  return text;
}
