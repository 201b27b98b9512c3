/**
 * Stack traces that point at the TypeScript source, paid for only when a stack is read. esbuild injects this
 * module first into every bundle (the base config's `esbuild.inject`). `--enable-source-maps` would parse the
 * bundle's source map at every cold start (~10 ms of a Lambda INIT, billed); here the map beside the bundle is
 * read and parsed the first time an error's stack is formatted (a logged or thrown error), once per sandbox.
 *
 * Frames keep V8's own text with the bundle's position replaced by the source's, and the function's name where
 * the map names it (as Node's own source map support does): `at async Fe.find (src/adapters/orders.ts:52:22)`.
 */
import { readFileSync } from 'node:fs';
import { SourceMap, type SourceMapPayload } from 'node:module';

const SOURCE_MAPPING_URL = /\/\/# sourceMappingURL=(\S+)\s*$/;
const maps = new Map<string, SourceMap | undefined>();

/**
 * The source map a bundle names in its last line, if it has one beside it. (URLs, not node:url: loading that
 * module would cost every cold start ~2 ms for what only an error needs.)
 */
function readSourceMap(fileName: string): SourceMap | undefined {
  try {
    const file = new URL(fileName, 'file:///');
    const mapUrl = SOURCE_MAPPING_URL.exec(readFileSync(file, 'utf8'))?.[1];
    if (!mapUrl || mapUrl.startsWith('data:')) return undefined;
    return new SourceMap(JSON.parse(readFileSync(new URL(mapUrl, file), 'utf8')) as SourceMapPayload);
  } catch {
    return undefined;
  }
}

function sourceMapOf(fileName: string): SourceMap | undefined {
  if (!maps.has(fileName)) maps.set(fileName, fileName.startsWith('node:') ? undefined : readSourceMap(fileName));
  return maps.get(fileName);
}

/** Sources are relative to the build folder: `../../../../src/handlers/x.ts` reads as `src/handlers/x.ts`. */
const readablePath = (source: string) => source.replace(/^(?:\.\.\/)+/, '');

/** The source's name of the function a frame runs, from the map's names (minified names are not the source's). */
function originalName(map: SourceMap, site: NodeJS.CallSite, caller: NodeJS.CallSite | undefined): string | undefined {
  const line = site.getEnclosingLineNumber();
  const column = site.getEnclosingColumnNumber();
  const enclosing = line && column ? (map.findEntry(line - 1, column - 1) as { name?: string }) : {};
  if (enclosing.name) return enclosing.name;
  // Else the name its caller used for it, when the caller is in the same bundle (as Node's own source map support does).
  const callerLine = caller?.getLineNumber();
  const callerColumn = caller?.getColumnNumber();
  if (!caller || caller.getFileName() !== site.getFileName() || !callerLine || !callerColumn) return undefined;
  return (map.findEntry(callerLine - 1, callerColumn - 1) as { name?: string }).name;
}

/** One frame as V8 writes it, with the bundle's file, line and column (and the function's name) replaced by the source's. */
export function mappedFrame(site: NodeJS.CallSite, caller?: NodeJS.CallSite): string {
  const text = String(site);
  const fileName = site.getFileName();
  const line = site.getLineNumber();
  const column = site.getColumnNumber();
  if (!fileName || line === null || column === null) return text;
  const map = sourceMapOf(fileName);
  const entry = map?.findEntry(line - 1, column - 1);
  if (!map || !entry || !('originalSource' in entry)) return text;
  const original = `${readablePath(entry.originalSource)}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
  const bundled = `${fileName}:${line}:${column}`;
  const mapped = text.includes(bundled) ? text.replace(bundled, original) : `${text} [${original}]`;
  const minified = site.getFunctionName();
  const name = minified ? originalName(map, site, caller) : undefined;
  return name && name !== minified ? mapped.replace(`${minified} (`, `${name} (`) : mapped;
}

function header(error: Error): string {
  try {
    return Error.prototype.toString.call(error);
  } catch {
    return '<error>';
  }
}

/** V8's stack format (the error's first line, then `    at <frame>` lines), each frame mapped to its source. */
export function sourceMappedStack(error: Error, sites: NodeJS.CallSite[]): string {
  const frames = sites.map((site, i) => {
    try {
      return `    at ${mappedFrame(site, sites[i + 1])}`;
    } catch {
      return `    at ${String(site)}`;
    }
  });
  return [header(error), ...frames].join('\n');
}

Error.prepareStackTrace = sourceMappedStack;
