/**
 * Shared set-up for the simulator's own tests: a Probot installation client pointed at the
 * simulator (the same path the app takes), raw fetch for status checks, and temp dirs.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Probot, ProbotOctokit } from 'probot';
import type { GitHubSim } from '../../tools/github-sim/index.js';

/** An installation client exactly as Probot builds it for a webhook (JWT → installation token). */
export async function probotClient(sim: GitHubSim, owner: string) {
  const probot = new Probot({
    appId: sim.appId,
    privateKey: sim.privateKey,
    baseUrl: sim.apiUrl,
    logLevel: 'fatal',
    logFormat: 'json',
  });
  return probot.auth(sim.installationId(owner));
}

/**
 * Probot's Octokit with an installation token and no throttling or retries. Probot's own client
 * spaces writes that notify people 3 s apart (plugin-throttling), far too slow for these tests.
 */
export function installationClient(sim: GitHubSim, owner: string, retry = false) {
  return new ProbotOctokit({
    baseUrl: sim.apiUrl,
    auth: { token: sim.createInstallationToken(owner) },
    throttle: { enabled: false },
    retry: { enabled: retry, retryAfterBaseValue: 10 },
  });
}

export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  json: () => unknown;
}

export async function raw(
  sim: GitHubSim,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; accept?: string } = {},
): Promise<RawResponse> {
  const headers: Record<string, string> = { accept: opts.accept ?? 'application/vnd.github+json' };
  if (opts.token) headers.authorization = `token ${opts.token}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${sim.apiUrl}${path}`, {
    method,
    headers,
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) as unknown };
}

export function tempDir(prefix: string): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/**
 * Runs the real git binary without blocking: the simulator serves from this same process, so a
 * synchronous git call that talks to it would deadlock.
 */
export function gitCli(
  cwd: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, {
      cwd,
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_CONFIG_NOSYSTEM: '1', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout: stdout.trim(), stderr }));
  });
}
