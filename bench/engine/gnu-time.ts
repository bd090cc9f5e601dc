import { existsSync, readFileSync, rmSync } from 'node:fs';
import { runCommand, type CommandResult } from '../run-command.js';

const TIME = '/usr/bin/time';

export function haveGnuTime(): boolean {
  return existsSync(TIME);
}

/**
 * Runs a command under GNU time (`apt-get install time`) to learn its peak RSS in KiB. The
 * wall time then includes time's own fork and exec, about a millisecond.
 */
export function runWithPeakRss(
  cmd: string,
  args: string[],
  cwd: string,
  rssFile: string,
  env?: NodeJS.ProcessEnv,
): CommandResult & { peakRssKb?: number } {
  if (!haveGnuTime()) return runCommand(cmd, args, { cwd, env });
  rmSync(rssFile, { force: true });
  const result = runCommand(TIME, ['-f', '%M', '-o', rssFile, cmd, ...args], { cwd, env });
  const lines = existsSync(rssFile) ? readFileSync(rssFile, 'utf8').trim().split('\n') : [];
  const peak = Number(lines[lines.length - 1]);
  return { ...result, peakRssKb: Number.isFinite(peak) ? peak : undefined };
}
