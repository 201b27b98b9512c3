import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { inflateRawSync } from 'node:zlib';
import { packageDir } from '@storefront/packaging';
import { requirePackagedTemplate, serviceApp } from './templates';

/** The files of a zip, read from its central directory (stored or deflated, as serverless packs them). */
function unzip(zip: Buffer): { name: string; data: Buffer }[] {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error('not a zip file');
  const files: { name: string; data: Buffer }[] = [];
  let entry = zip.readUInt32LE(end + 16);
  for (let i = 0; i < zip.readUInt16LE(end + 10); i++) {
    const nameLength = zip.readUInt16LE(entry + 28);
    const header = zip.readUInt32LE(entry + 42);
    const start = header + 30 + zip.readUInt16LE(header + 26) + zip.readUInt16LE(header + 28);
    const stored = zip.subarray(start, start + zip.readUInt32LE(entry + 20));
    files.push({
      name: zip.toString('utf8', entry + 46, entry + 46 + nameLength),
      data: zip.readUInt16LE(entry + 10) ? inflateRawSync(stored) : stored,
    });
    entry += 46 + nameLength + zip.readUInt16LE(entry + 30) + zip.readUInt16LE(entry + 32);
  }
  return files;
}

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
  for (const { name, data } of unzip(readFileSync(join(packageDir(serviceApp(service)), `${functionName}.zip`)))) {
    mkdirSync(dirname(join(taskRoot, name)), { recursive: true });
    writeFileSync(join(taskRoot, name), data);
  }
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
