#!/usr/bin/env node
/**
 * Runs one command of the local stack and ties its life to the stack's: when
 * the parent goes away, even by `kill -9`, this pipe's other end closes and
 * the command is stopped. No java or node process outlives the stack.
 * Usage: node child-guard.ts <command> [args...]
 */
import { spawn } from 'node:child_process';

const [command = '', ...args] = process.argv.slice(2);
const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit'] });
let stopping = false;

function stop(signal: NodeJS.Signals = 'SIGTERM') {
  if (stopping) return;
  stopping = true;
  if (child.exitCode === null) child.kill(signal);
  setTimeout(() => child.exitCode === null && child.kill('SIGKILL'), 3000).unref();
}

child.on('error', (error) => {
  process.stderr.write(`${command}: ${error.message}\n`);
  process.exit(127);
});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
process.stdin.on('close', () => stop());
process.stdin.resume();
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, () => stop('SIGTERM'));
