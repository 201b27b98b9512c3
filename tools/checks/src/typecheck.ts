#!/usr/bin/env node
/**
 * Type-checks every project's files, as `nx run-many -t typecheck` does, in a fraction of the time: projects whose
 * tsconfigs resolve to the same compiler options are checked as one program. Each project's own `tsc -p` parses and
 * checks the libs it imports and the AWS SDK's types again; one program per set of options does that once.
 * A project with options of its own (the tools run by Node's type stripping) gets a program of its own.
 * Usage: node tools/checks/src/typecheck.ts
 */
import { globSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { workspaceRoot } from '#packaging';

const PROJECT_CONFIGS = ['apps/*/tsconfig.json', 'libs/*/tsconfig.json', 'tools/*/tsconfig.json', 'e2e/tsconfig.json'];

const formatHost: ts.FormatDiagnosticsHost = {
  getCanonicalFileName: (fileName) => fileName,
  getCurrentDirectory: () => workspaceRoot,
  getNewLine: () => '\n',
};

interface Group {
  options: ts.CompilerOptions;
  projects: string[];
  files: Set<string>;
}

const diagnostics: ts.Diagnostic[] = [];
const groups = new Map<string, Group>();
for (const config of globSync(PROJECT_CONFIGS, { cwd: workspaceRoot }).sort()) {
  const parsed = ts.getParsedCommandLineOfConfigFile(join(workspaceRoot, config), undefined, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => diagnostics.push(diagnostic),
  });
  if (!parsed) continue;
  diagnostics.push(...parsed.errors);
  // The path of the tsconfig itself is the only option that differs between projects on the same settings.
  const { configFilePath: _ownPath, ...options } = parsed.options;
  const key = JSON.stringify(options);
  const group = groups.get(key) ?? { options: parsed.options, projects: [], files: new Set<string>() };
  group.projects.push(relative(workspaceRoot, join(config, '..')) || '.');
  for (const file of parsed.fileNames) group.files.add(file);
  groups.set(key, group);
}

for (const { options, projects, files } of groups.values()) {
  const started = Date.now();
  const program = ts.createProgram({ rootNames: [...files], options });
  const found = ts.getPreEmitDiagnostics(program);
  diagnostics.push(...found);
  console.log(`${projects.join(', ')}: ${files.size} files, ${found.length} error(s) (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

if (diagnostics.length) {
  const format = process.stdout.isTTY ? ts.formatDiagnosticsWithColorAndContext : ts.formatDiagnostics;
  console.error(format(diagnostics, formatHost));
  process.exit(1);
}
