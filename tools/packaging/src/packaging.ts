import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describeTemplate, type Resolved } from './cloudformation.ts';
import { StackError } from './errors.ts';
import { runCommand } from './run-command.ts';
import { type ComposeService, LOCAL_STAGE, packageDir, serviceName, workspaceRoot } from './services.ts';
import { stageServiceDir } from './stage-workspace.ts';
import { packagedTemplate } from './template.ts';

const SKIPPED = new Set(['node_modules', '.serverless', '.esbuild', '.nx', '.local', '.git', 'coverage']);

function collectFiles(dir: string, files: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIPPED.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) collectFiles(path, files);
    else files.push(path);
  }
  return files;
}

/**
 * A digest of what a service's bundles are built from: its files, the libs, the toolchain lock. The stage and the
 * params are not in it: esbuild's output does not depend on them.
 */
function sourcesDigest(service: ComposeService): string {
  const hash = createHash('sha256');
  const files = [
    ...collectFiles(service.dir),
    ...collectFiles(join(workspaceRoot, 'libs')),
    ...['tsconfig.base.json', 'package-lock.json', 'serverless-compose.yml'].map((f) => join(workspaceRoot, f)),
  ].sort();
  for (const file of files) hash.update(relative(workspaceRoot, file)).update('\0').update(readFileSync(file)).update('\0');
  return hash.digest('hex');
}

/** A digest of everything a stage's package depends on: the sources, the stage, the region and the params. */
const inputsDigest = (sources: string, params: unknown): string =>
  createHash('sha256').update(sources).update('\0').update(JSON.stringify(params)).digest('hex');

/** Beside a package: the sources digest its zips were built from, so another stage can ship them as they are. */
const BUNDLES_DIGEST_FILE = '.bundles-digest';

/**
 * The package folder of another stage whose zips were built from these very sources, the local stage's first, or
 * none. Every stage then ships the bytes the local stack and the tests ran, bundled once: build once, deploy many.
 * A folder being packaged again has no digest (osls empties it first), so it is never taken half-written.
 */
function bundlesBuiltFrom(service: ComposeService, sources: string, stage: string): string | undefined {
  const stagesDir = join(workspaceRoot, '.stages');
  const otherStages = existsSync(stagesDir) ? readdirSync(stagesDir) : [];
  return [LOCAL_STAGE, ...otherStages]
    .filter((candidate) => candidate !== stage)
    .map((candidate) => packageDir(service, candidate))
    .find((dir) => {
      const digestFile = join(dir, BUNDLES_DIGEST_FILE);
      return existsSync(digestFile) && readFileSync(digestFile, 'utf8') === sources;
    });
}

/** Tells the base configuration (libs/serverless-base) to have serverless-esbuild ship the zips in place unbuilt. */
const PREBUILT_BUNDLES_VARIABLE = 'STOREFRONT_PREBUILT_BUNDLES';

/** Puts another stage's zips where serverless-esbuild's `skipBuild` takes them from: the package folder to fill. */
function copyBundles(from: string, to: string): void {
  rmSync(to, { recursive: true, force: true });
  mkdirSync(to, { recursive: true });
  for (const zip of readdirSync(from).filter((file) => file.endsWith('.zip'))) copyFileSync(join(from, zip), join(to, zip));
}

export interface PackageResult {
  service: ComposeService;
  params: Record<string, string>;
  packaged: boolean;
  /** Packaged with another stage's zips (same sources) rather than bundling again. */
  reusedBundles: boolean;
  ms: number;
}

export interface PackageOptions {
  stage?: string;
  region?: string;
  only?: string[] | undefined;
  apiEndpoint?: string;
  quiet?: boolean;
  /** How many `serverless package` runs at once: four keep two cores busy without one process per service in memory. */
  concurrency?: number;
  onPackaged?: (result: PackageResult) => void;
}

/** Runs at most `limit` tasks at once; the rest wait their turn in order. */
function limiter(limit: number) {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await task();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}

/**
 * Packages services, each after those it depends on, for a stage without AWS credentials.
 * Each service receives the outputs of the services it depends on, resolved
 * from their packaged templates for a local account (`apiEndpoint` replaces
 * the HTTP API's URL). A service whose inputs did not change is not packaged again. Services that do not
 * depend on each other are packaged side by side. The local stage's packages land in each service's own
 * `.serverless`, any other stage's in `.stages/<stage>/apps/<service>/.serverless` (`packageDir`).
 */
export async function packageServices(
  services: ComposeService[],
  { stage = LOCAL_STAGE, region = 'us-east-1', only, apiEndpoint, quiet = false, concurrency = 4, onPackaged }: PackageOptions = {},
): Promise<{ results: Map<string, PackageResult>; outputs: (service: ComposeService) => Promise<Record<string, Resolved>> }> {
  const outputsOf = new Map<string, Record<string, Resolved>>();
  const results = new Map<string, PackageResult>();
  const packaging = new Map<string, Promise<PackageResult>>();
  const inTurn = limiter(concurrency);

  const outputs = async (service: ComposeService): Promise<Record<string, Resolved>> => {
    if (!outputsOf.has(service.name)) {
      await packageOne(service);
      const stackName = `${serviceName(service)}-${stage}`;
      outputsOf.set(service.name, describeTemplate(packagedTemplate(service, stage) ?? {}, { stackName, region, apiEndpoint }).outputs);
    }
    return outputsOf.get(service.name) ?? {};
  };

  // One packaging per service, however many dependents wait for it.
  const packageOne = (service: ComposeService): Promise<PackageResult> => {
    const started = packaging.get(service.name) ?? packageAfterDependencies(service);
    packaging.set(service.name, started);
    return started;
  };

  const packageAfterDependencies = async (service: ComposeService): Promise<PackageResult> => {
    const params: Record<string, string> = {};
    for (const param of service.params) {
      if (param.env !== undefined) {
        // Compose would refuse to run without it; packaging leaves it out, so only a stage that needs it fails, and says why.
        const value = process.env[param.env];
        if (value !== undefined) params[param.param] = value;
        continue;
      }
      if (param.value !== undefined) {
        params[param.param] = param.value;
        continue;
      }
      const value = (await outputs(services.find((s) => s.name === param.from) as ComposeService))[param.output];
      if (value === undefined)
        throw new StackError(
          `${param.from} has no output ${param.output}`,
          `add it to ${param.from}'s serverless.yml Outputs or fix serverless-compose.yml (${service.name}.params.${param.param})`,
        );
      params[param.param] = String(value);
    }
    const packaged = packageDir(service, stage);
    const digestFile = join(packaged, '.inputs-digest');
    const sources = sourcesDigest(service);
    const digest = inputsDigest(sources, { stage, region, params });
    const upToDate = packagedTemplate(service, stage) && existsSync(digestFile) && readFileSync(digestFile, 'utf8') === digest;
    let ms = 0;
    let reused = false;
    if (!upToDate) {
      const args = ['package', '--stage', stage, '--region', region, ...Object.entries(params).map(([k, v]) => `--param=${k}=${v}`)];
      const dir = stage === LOCAL_STAGE ? service.dir : stageServiceDir(service, stage);
      const serverlessPackage = (env?: NodeJS.ProcessEnv) =>
        runCommand('serverless', args, dir, { quiet, title: 'serverless package', ...(env ? { env } : {}) });
      await inTurn(async () => {
        const started = Date.now();
        const donor = stage === LOCAL_STAGE ? undefined : bundlesBuiltFrom(service, sources, stage);
        if (donor) {
          try {
            copyBundles(donor, packaged);
            await serverlessPackage({ ...process.env, [PREBUILT_BUNDLES_VARIABLE]: '1' });
            reused = true;
          } catch {
            // A function the other stage does not have (or its package changing under us): bundle as usual, whose
            // failure, if any, is the one worth reading.
          }
        }
        if (!reused) await serverlessPackage();
        ms = Date.now() - started;
      });
      writeFileSync(join(packaged, BUNDLES_DIGEST_FILE), sources);
      writeFileSync(digestFile, digest);
    }
    const result: PackageResult = { service, params, packaged: !upToDate, reusedBundles: reused, ms };
    results.set(service.name, result);
    onPackaged?.(result);
    return result;
  };

  const selected = only?.length ? services.filter((s) => only.includes(s.name)) : services;
  // A failure is reported once every packaging already under way has ended: none is left running behind it.
  const settled = await Promise.allSettled(selected.map(packageOne));
  const failure = settled.find((outcome) => outcome.status === 'rejected');
  if (failure) throw failure.reason;
  return { results, outputs };
}
