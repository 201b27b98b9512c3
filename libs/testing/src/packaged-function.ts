import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { packageDir, unzipInto } from '@storefront/packaging';
import { requirePackagedTemplate, serviceApp } from './templates';

export interface UnpackedFunction {
  /** The handler module as Lambda imports it (a file: URL) and the export it calls. */
  moduleUrl: string;
  exportName: string;
  /** The environment variables its template gives it (the string ones). */
  environment: Record<string, string>;
  remove: () => void;
}

/**
 * A function of apps/<service> as Lambda runs it: its packaged zip unpacked into a folder of its own (Lambda's
 * /var/task), its handler and environment read from the packaged template. Package the service first.
 */
export function unpackedFunction(service: string, functionName: string): UnpackedFunction {
  const resource = requirePackagedTemplate(service).Resources[`${functionName[0]?.toUpperCase()}${functionName.slice(1)}LambdaFunction`];
  if (!resource) throw new Error(`apps/${service} packages no function ${functionName}`);
  const taskRoot = mkdtempSync(join(tmpdir(), `${functionName}-`));
  unzipInto(join(packageDir(serviceApp(service)), `${functionName}.zip`), taskRoot);
  const handler = String(resource.Properties?.Handler);
  const variables = ((resource.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {}) as Record<
    string,
    unknown
  >;
  return {
    moduleUrl: pathToFileURL(join(taskRoot, `${handler.slice(0, handler.lastIndexOf('.'))}.mjs`)).href,
    exportName: handler.slice(handler.lastIndexOf('.') + 1),
    environment: Object.fromEntries(Object.entries(variables).filter((entry): entry is [string, string] => typeof entry[1] === 'string')),
    remove: () => rmSync(taskRoot, { recursive: true, force: true }),
  };
}
