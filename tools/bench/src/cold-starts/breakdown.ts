/**
 * Where a function's cold start goes, for `.bench/cold-starts.md`: its bundle
 * by package (esbuild's metafile, built with the base config's settings) and
 * the CPU of its start (a --cpu-prof of one cold start, each sample placed
 * through the bundle's source map in the package or source folder it came from).
 */
import { readFileSync } from 'node:fs';
import { createRequire, SourceMap, type SourceMapPayload } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions, type Plugin } from 'esbuild';
import { workspaceRoot } from '#packaging';

const require = createRequire(import.meta.url);

/** The esbuild options and plugins every service bundles with (libs/serverless-base), as packaging uses them. */
export async function baseBuildOptions(): Promise<BuildOptions> {
  const base = require(join(workspaceRoot, 'libs', 'serverless-base', 'serverless.base.cjs')) as {
    bundleOptions: BuildOptions;
    esbuildPluginsFile: string;
  };
  const plugins = (await import(base.esbuildPluginsFile)) as { default: Plugin[] };
  return { ...base.bundleOptions, plugins: plugins.default };
}

/**
 * What a bundled file counts as: its npm package (`@smithy/core` by submodule, the part that
 * varies most), the lib it belongs to, or the service's own folder.
 */
export function sourceLabel(path: string): string {
  if (path.startsWith('builtin:')) return 'Node built-in imports';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)(?:\/dist-[a-z]+\/submodules\/([^/]+))?/.exec(path);
  if (pkg) return pkg[2] ? `${pkg[1]}/${pkg[2]}` : (pkg[1] as string);
  const lib = /libs\/([^/]+)\//.exec(path);
  if (lib) return `libs/${lib[1]}`;
  const own = /(?:^|\/)src\/([^/]+)\//.exec(path);
  return own ? `src/${own[1]}` : path.replace(/^(\.\.\/)+/, '');
}

export interface Share {
  label: string;
  amount: number;
}

const ranked = (totals: Map<string, number>): Share[] =>
  [...totals].map(([label, amount]) => ({ label, amount })).sort((a, b) => b.amount - a.amount);

/** The minified bundle of one handler, by package (bytes), built as serverless-esbuild builds it. */
export async function bundleByPackage(serviceDir: string, handlerFile: string): Promise<{ bytes: number; shares: Share[] }> {
  const result = await build({
    ...(await baseBuildOptions()),
    entryPoints: [join(serviceDir, handlerFile)],
    absWorkingDir: serviceDir,
    outdir: join(serviceDir, '.esbuild', 'breakdown'),
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const output = Object.entries(result.metafile.outputs).find(([file]) => file.endsWith('.mjs') || file.endsWith('.js'));
  if (!output) throw new Error(`esbuild wrote no bundle for ${handlerFile}`);
  const totals = new Map<string, number>();
  for (const [file, input] of Object.entries(output[1].inputs))
    totals.set(sourceLabel(file), (totals.get(sourceLabel(file)) ?? 0) + input.bytesInOutput);
  return { bytes: output[1].bytes, shares: ranked(totals) };
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** The moments (microseconds, the profile's clock) a cold start passed from one phase to the next. */
export interface PhaseMarks {
  importStarted: number;
  imported: number;
  invoked: number;
}

export interface CpuBreakdown {
  /** CPU by origin while the bundle was imported (parse, compile, top-level code), milliseconds. */
  importing: Share[];
  /** CPU by origin during the first invocation, milliseconds. */
  firstCall: Share[];
}

/** Where V8 and Node spend time that belongs to no script. */
function nativeLabel({ functionName, url }: ProfileNode['callFrame']): string | undefined {
  if (functionName === '(garbage collector)') return 'garbage collection';
  if (functionName === '(idle)') return 'idle (waiting on I/O)';
  if (functionName === '(program)') return 'V8 and Node (native)';
  if (functionName === 'compileSourceTextModule' || functionName === 'compileFunction') return 'compile the bundle';
  if (url.startsWith('node:')) return 'Node built-ins (loading, internals)';
  if (!url) return 'V8 and Node (native)';
  return undefined;
}

/** Splits a --cpu-prof of one cold start into import and first call, each by package through the bundle's source map. */
export function cpuByPackage(profileFile: string, bundleUrl: string, marks: PhaseMarks): CpuBreakdown {
  const profile = JSON.parse(readFileSync(profileFile, 'utf8')) as CpuProfile;
  const maps = new Map<string, SourceMap | undefined>();
  const mapOf = (url: string) => {
    if (!maps.has(url)) {
      try {
        const file = fileURLToPath(url);
        maps.set(url, new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8')) as SourceMapPayload));
      } catch {
        maps.set(url, undefined);
      }
    }
    return maps.get(url);
  };
  const labels = new Map<number, string>();
  for (const node of profile.nodes) {
    const native = nativeLabel(node.callFrame);
    if (native) {
      labels.set(node.id, native);
      continue;
    }
    const { url, lineNumber, columnNumber } = node.callFrame;
    const entry = (url === bundleUrl ? mapOf(url)?.findEntry(lineNumber, columnNumber) : undefined) as
      { originalSource?: string } | undefined;
    const unmapped = url === bundleUrl ? 'the bundle’s own glue (module wrappers)' : 'the bench harness';
    labels.set(node.id, entry?.originalSource ? sourceLabel(entry.originalSource) : unmapped);
  }
  const importing = new Map<string, number>();
  const firstCall = new Map<string, number>();
  let time = profile.startTime;
  profile.samples.forEach((id, i) => {
    time += profile.timeDeltas[i] ?? 0;
    const phase =
      time < marks.importStarted ? undefined : time < marks.imported ? importing : time <= marks.invoked ? firstCall : undefined;
    const label = labels.get(id) ?? 'unknown';
    // The sample's delta is the time since the previous sample: it belongs to this one.
    if (phase) phase.set(label, (phase.get(label) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return { importing: ranked(importing), firstCall: ranked(firstCall) };
}

/** The biggest shares, the rest summed into one row: `label amount` pairs for a table cell. */
export function topShares(shares: Share[], count: number, format: (amount: number) => string): string[] {
  const top = shares.slice(0, count).map((s) => `${s.label} ${format(s.amount)}`);
  const rest = shares.slice(count).reduce((sum, s) => sum + s.amount, 0);
  return rest > 0 ? [...top, `${shares.length - count} more ${format(rest)}`] : top;
}
