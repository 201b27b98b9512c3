/**
 * The files of a packaged function: its zip, as `serverless package` writes it, read back. The local stack runs these
 * very bundles under serverless-offline, and tests import them as Lambda would.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { inflateRawSync } from 'node:zlib';

/** The files of a zip, read from its central directory (stored or deflated, as serverless packs them). */
export function unzip(zip: Buffer): { name: string; data: Buffer }[] {
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

/** Writes a zip's files into `dir` (made if missing), each at its path inside the zip. */
export function unzipInto(zipFile: string, dir: string): void {
  for (const { name, data } of unzip(readFileSync(zipFile))) {
    if (name.endsWith('/')) continue;
    const target = join(dir, name);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, data);
  }
}

/** Every function zip of a package folder unpacked into `dir`, emptied first: one tree of bundles, as Lambda sees each. */
export function unpackFunctions(packageFolder: string, dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const file of readdirSync(packageFolder).filter((name) => name.endsWith('.zip'))) unzipInto(join(packageFolder, file), dir);
}
