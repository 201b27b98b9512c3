/**
 * esbuild plugins every service bundles with (the base config's `esbuild.plugins` names this file; serverless-esbuild
 * loads it). Both cut cold-start work that no function needs, measured by `npm run bench`.
 */
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import type { Plugin } from 'esbuild';
import ts from 'typescript';

const builtins = new Set(builtinModules.map((name) => name.replace(/^node:/, '')));

/**
 * `import { Agent } from 'node:http'` in an ES module makes Node build a module facade of every export of the
 * built-in first, which runs every lazy getter it has: for node:http that loads undici, ~15 ms before the first
 * call. Bundled code takes built-ins through `process.getBuiltinModule` instead, which returns the module object
 * as it is; esbuild treats it as a CommonJS module, so named imports become property reads where they are used.
 */
export const builtinsWithoutModuleFacade: Plugin = {
  name: 'builtins-without-module-facade',
  setup(build) {
    build.onResolve({ filter: /^(node:)?[a-z0-9_]+(\/[a-z0-9_]+)?$/ }, ({ path }) => {
      const name = path.replace(/^node:/, '');
      return builtins.has(name) ? { path: name, namespace: 'builtin' } : undefined;
    });
    build.onLoad({ filter: /.*/, namespace: 'builtin' }, ({ path }) => ({
      contents: `module.exports = process.getBuiltinModule(${JSON.stringify(`node:${path}`)});`,
      loader: 'js',
    }));
  },
};

const notBundled = (what: string) =>
  `throw new Error(${JSON.stringify(`${what} is not bundled: see libs/serverless-base/bundling/esbuild-plugins.ts`)})`;

/**
 * Files of the AWS SDK's shared core that no function here can reach on Lambda, each replaced by a stand-in with
 * the same exports that fails loudly if it ever is reached (~10 KiB of every bundle). A file that moves in a later
 * SDK version is simply bundled again.
 */
const UNREACHABLE_SDK_FILES: { file: RegExp; why: string; standIn: string }[] = [
  {
    file: /@smithy\/core\/dist-es\/submodules\/checksum\/sha256\/Sha256Js\.js$/,
    why: 'SHA-256 in JavaScript, for runtimes without node:crypto',
    standIn: `export class Sha256Js { constructor() { ${notBundled('Sha256Js')} } }`,
  },
  {
    file: /@smithy\/core\/dist-es\/submodules\/retry\/util-retry\/AdaptiveRetryStrategy\.js$/,
    why: "the adaptive retry mode's client-side rate limiting, used only with AWS_RETRY_MODE=adaptive",
    standIn: `export class AdaptiveRetryStrategy { constructor() { ${notBundled('The adaptive retry mode')} } }`,
  },
  {
    file: /@smithy\/core\/dist-es\/submodules\/retry\/util-retry\/DefaultRateLimiter\.js$/,
    why: 'the rate limiter of the adaptive retry mode',
    standIn: `export class DefaultRateLimiter { constructor() { ${notBundled('The adaptive retry mode')} } }`,
  },
  {
    file: /@smithy\/core\/dist-es\/submodules\/config\/config-resolver\/regionConfig\/getInstanceMetadataRegion\.js$/,
    why: 'the region from EC2 instance metadata, the last resort when no region is set: Lambda always sets AWS_REGION',
    standIn: 'export const getInstanceMetadataRegion = async () => undefined;',
  },
  {
    file: /@smithy\/signature-v4\/dist-es\/HeaderFormatter\.js$/,
    why: 'the header encoding of signed event-stream messages (event streams are not bundled either)',
    standIn: `export class HeaderFormatter { format() { ${notBundled('Event-stream signing')} } }`,
  },
];

export const sdkUnreachableFiles: Plugin = {
  name: 'sdk-unreachable-files',
  setup(build) {
    for (const { file, standIn } of UNREACHABLE_SDK_FILES) build.onLoad({ filter: file }, () => ({ contents: standIn, loader: 'js' }));
  },
};

/**
 * The SDK's table of AWS partitions describes every region in words ("Asia Pacific (Tokyo)"), ~2 KiB that endpoint
 * resolution never reads: it matches regions by their names and the partition's regex.
 */
export const sdkPartitionsWithoutDescriptions: Plugin = {
  name: 'sdk-partitions-without-descriptions',
  setup(build) {
    build.onLoad({ filter: /@aws-sdk\/core\/dist-es\/submodules\/client\/util-endpoints\/lib\/aws\/partitions\.js$/ }, ({ path }) => ({
      contents: readFileSync(path, 'utf8').replace(/"description":\s*"[^"]*"/g, ''),
      loader: 'js',
    }));
  },
};

/**
 * Packages made only of declarations that do not say so (no `"sideEffects": false`): esbuild then keeps whatever
 * runs at their top level. @aws-sdk/lib-dynamodb builds its paginators there, which drags the whole DynamoDB client
 * (~45 KiB) into a function that only reads stream records (the outbox relays).
 */
const SIDE_EFFECT_FREE_PACKAGES = /^@aws-sdk\/lib-dynamodb$/;

export const sideEffectFreePackages: Plugin = {
  name: 'side-effect-free-packages',
  setup(build) {
    build.onResolve({ filter: SIDE_EFFECT_FREE_PACKAGES }, async ({ path, kind, importer, resolveDir, pluginData }) => {
      if (pluginData === SIDE_EFFECT_FREE_PACKAGES) return undefined;
      const resolved = await build.resolve(path, { kind, importer, resolveDir, pluginData: SIDE_EFFECT_FREE_PACKAGES });
      return resolved.errors.length ? undefined : { path: resolved.path, sideEffects: false };
    });
  },
};

/** Each AWS SDK client imports its whole package.json (~2 KiB of minified JSON) for the version in its user agent. */
export const sdkPackageVersionOnly: Plugin = {
  name: 'sdk-package-version-only',
  setup(build) {
    build.onLoad({ filter: /[\\/]node_modules[\\/]@aws-sdk[\\/][^\\/]+[\\/]package\.json$/ }, ({ path }) => ({
      contents: JSON.stringify({ version: (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version }),
      loader: 'json',
    }));
  },
};

/**
 * A module's top-level constants made removable: each initializer that is more than a literal or a name runs inside a
 * pure-annotated arrow (`/* @__PURE__ *\/ (() => init)()`), which evaluates it exactly when and as before, but lets
 * esbuild drop a constant nothing in the bundle reads, and so the constants only it read. Other statements (imports,
 * functions, classes, calls made for their effect) are left as they are.
 */
export function topLevelConstantsRemovable(source: string, fileName = 'module.ts'): string {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const edits: { at: number; text: string }[] = [];
  const trivial = (node: ts.Expression): boolean =>
    ts.isIdentifier(node) ||
    ts.isLiteralExpression(node) ||
    node.kind === ts.SyntaxKind.TrueKeyword ||
    node.kind === ts.SyntaxKind.FalseKeyword;
  for (const statement of file.statements) {
    if (!ts.isVariableStatement(statement) || !(statement.declarationList.flags & ts.NodeFlags.Const)) continue;
    for (const declaration of statement.declarationList.declarations) {
      const init = declaration.initializer;
      if (!init || trivial(init)) continue;
      edits.push({ at: init.getStart(file), text: '/* @__PURE__ */ (() => (' }, { at: init.getEnd(), text: '))()' });
    }
  }
  let result = source;
  for (const { at, text } of edits.sort((a, b) => b.at - a.at)) result = `${result.slice(0, at)}${text}${result.slice(at)}`;
  return result;
}

/**
 * The contracts (libs/contracts) build a zod schema per constant, for every route, event and workflow, and a bundle
 * importing one of them built them all at import: ~10-20 ms of every HTTP function's cold start, most of it for
 * schemas it never reads. With their constants removable (above), a bundle builds only the schemas its code reaches:
 * a handler its route's request schemas (each route's request part is its own export, see http-routes.ts).
 */
export const contractsBuiltOnDemand: Plugin = {
  name: 'contracts-built-on-demand',
  setup(build) {
    build.onLoad({ filter: /[\\/]libs[\\/]contracts[\\/]src[\\/][^\\/]+\.ts$/ }, ({ path }) => ({
      contents: topLevelConstantsRemovable(readFileSync(path, 'utf8'), path),
      loader: 'ts',
    }));
  },
};

export default [
  builtinsWithoutModuleFacade,
  contractsBuiltOnDemand,
  sideEffectFreePackages,
  sdkPackageVersionOnly,
  sdkUnreachableFiles,
  sdkPartitionsWithoutDescriptions,
];
