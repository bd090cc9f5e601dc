import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { projectRoot } from '../bench-paths.js';
import { runCommand } from '../run-command.js';
import type { WarmInput, WarmOutput } from './warm-worker.js';

const WORKER = fileURLToPath(new URL('./warm-worker.ts', import.meta.url));

/**
 * Runs the warm worker in a fresh Node process (through tsx, on the sources). With
 * `profileDir`, the worker also writes a V8 CPU profile there.
 */
export function timeOursWarm(input: WarmInput, workDir: string, profileDir?: string): WarmOutput {
  const inputPath = join(workDir, 'warm-input.json');
  const outputPath = join(workDir, 'warm-output.json');
  writeFileSync(inputPath, JSON.stringify(input));
  rmSync(outputPath, { force: true });
  const flags = ['--import', 'tsx'];
  if (profileDir) {
    mkdirSync(profileDir, { recursive: true });
    flags.push('--cpu-prof', '--cpu-prof-dir', profileDir);
  }
  const run = runCommand(process.execPath, [...flags, WORKER, inputPath, outputPath], { cwd: projectRoot });
  if (run.status !== 0 || !existsSync(outputPath)) {
    return { ok: false, error: `warm worker exited ${run.status}: ${run.stderr.trim()}` };
  }
  return JSON.parse(readFileSync(outputPath, 'utf8')) as WarmOutput;
}
