/**
 * cfn-lint, the CloudFormation team's own linter (Python, from the machine image; see the README's prerequisites),
 * over many templates in one run: its start-up costs about a second and a half, its checks a fraction of that per
 * template. Which rules apply is `.cfnlintrc.yaml` at the workspace root, the one place a rule is ignored, with why.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { StackError, workspaceRoot } from '#packaging';
import type { Finding } from './template.ts';

export const CFN_LINT_CONFIG = join(workspaceRoot, '.cfnlintrc.yaml');

/** One of cfn-lint's JSON findings, the fields read here. */
interface CfnLintMatch {
  Level: 'Error' | 'Warning' | 'Informational';
  Filename: string | null;
  Location: { Path: (string | number)[] | null; Start: { LineNumber: number } };
  Message: string;
  Rule: { Id: string };
}

/** A path as the other checks print it: `Resources.Queue.Properties.Tags[0]`. */
const pathOf = (path: (string | number)[]): string =>
  path.reduce<string>((at, key) => (typeof key === 'number' ? `${at}[${key}]` : at ? `${at}.${key}` : key), '');

/** cfn-lint's exit code is a bit mask of the levels found (2 error, 4 warning, 8 informational); 1 is its own failure. */
const FINDINGS_ONLY = (code: number | null) => code !== null && (code & ~0b1110) === 0;

/** Lints every file in one cfn-lint process; each file's findings, `E3012 'lots' is not of type 'integer'`, under its name. */
export function lintTemplates(files: string[], { configFile = CFN_LINT_CONFIG } = {}): Promise<Map<string, Finding[]>> {
  return new Promise((resolve, reject) => {
    const child = spawn('cfn-lint', ['--format', 'json', '--config-file', configFile, '--', ...files], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let errors = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (errors += chunk));
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'ENOENT'
          ? new StackError('cfn-lint is not on the PATH', "install Python 3.11 with cfn-lint 1.51 (see the README's prerequisites)")
          : error,
      ),
    );
    child.on('close', (code) => {
      let matches: CfnLintMatch[];
      try {
        if (!FINDINGS_ONLY(code)) throw new Error(`exit code ${code}`);
        matches = JSON.parse(output || '[]') as CfnLintMatch[];
      } catch {
        reject(new StackError(`cfn-lint failed (exit code ${code}): ${(errors || output).trim().split('\n').slice(-5).join(' ')}`));
        return;
      }
      const byFile = new Map<string, Finding[]>(files.map((file) => [file, []]));
      // A finding of no template we asked about is cfn-lint's own trouble (a file it could not open, its config).
      const unplaced = matches.find((match) => !byFile.has(match.Filename ?? ''));
      if (unplaced) {
        reject(new StackError(`cfn-lint: ${unplaced.Rule.Id} ${unplaced.Message}`));
        return;
      }
      for (const match of matches)
        byFile.get(match.Filename as string)?.push({
          at: pathOf(match.Location.Path ?? []) || `line ${match.Location.Start.LineNumber}`,
          problem: `${match.Rule.Id} ${match.Message}`,
        });
      resolve(byFile);
    });
  });
}
