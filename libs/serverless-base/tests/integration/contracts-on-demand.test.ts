import { join } from 'node:path';
import { build, type BuildOptions, type Metafile } from 'esbuild';
import plugins from '../../bundling/esbuild-plugins.ts';

const workspaceRoot = join(import.meta.dirname, '../../../..');
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the base config is CommonJS, as the framework loads it
const { bundleOptions } = require('../../serverless.base.cjs') as { bundleOptions: BuildOptions };

/** The bytes each contracts file adds to a bundle of `code`, bundled as every service bundles its handlers. */
async function contractsIn(code: string): Promise<{ text: string; bytes: Record<string, number> }> {
  const result = await build({
    ...bundleOptions,
    plugins,
    stdin: { contents: code, resolveDir: workspaceRoot, sourcefile: 'handler.ts', loader: 'ts' },
    outfile: join(workspaceRoot, 'dist', 'contracts-on-demand', 'handler.mjs'),
    // Resolves @storefront/* as the services do (tsconfig paths).
    tsconfig: join(workspaceRoot, 'tsconfig.base.json'),
    sourcemap: false,
    metafile: true,
    write: false,
    logLevel: 'silent',
  });
  const output = Object.values((result.metafile as Metafile).outputs).find((o) => o.entryPoint) as Metafile['outputs'][string];
  const bytes = Object.fromEntries(
    Object.entries(output.inputs)
      .filter(([file]) => file.includes('libs/contracts/src/'))
      .map(([file, input]) => [file.replace(/^.*libs\/contracts\/src\//, ''), input.bytesInOutput]),
  );
  return { text: result.outputFiles?.[0]?.text ?? '', bytes };
}

describe('the contracts in a bundle', () => {
  it("build the schemas of the route a handler serves, and none of another API's", async () => {
    const { bytes } = await contractsIn("import { getOrderRoute } from '@storefront/contracts';\nexport const schemas = getOrderRoute;");

    // No schema of inventory, reporting, payments, notifications, workflows or the OpenAPI document.
    const otherApis = [
      'inventory-api.ts',
      'reporting-api.ts',
      'payments-api.ts',
      'notifications-api.ts',
      'openapi.ts',
      'checkout-workflow.ts',
    ];
    expect(otherApis.filter((file) => (bytes[file] ?? 0) > 16)).toEqual([]);
    // Of the orders API, the order id's path and nothing of the order itself (a response, for the OpenAPI document only).
    expect(bytes['orders-api.ts']).toBeLessThan(400);
  });

  it('still give the English messages to every schema (the locale is configured for its effect)', async () => {
    const { text } = await contractsIn("import { getOrderRoute } from '@storefront/contracts';\nexport const schemas = getOrderRoute;");

    expect(text).toMatch(/Invalid input/);
  });
});
