// The git spawner (tools/github-sim/git-spawner.mjs) must be invisible: through it, git gets
// the same arguments, directory, environment and input, and the caller the same output bytes,
// error output and exit status, as when this process starts git itself. Each case runs both
// ways and compares; the spawner's frames are exercised with binary data larger than a pipe's
// buffer, several processes at once, and the synchronous path of test/support/git.ts.
import { afterAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { startGit } from '../../tools/github-sim/git-process.js';
import { encodeFrame, frameReader } from '../../tools/github-sim/spawner-frames.mjs';
import { gitStatus, tempDir } from '../support/git.js';

interface Ran {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

async function run(
  spawner: boolean,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; input?: Buffer } = {},
): Promise<Ran> {
  const before = process.env.GITHUB_SIM_GIT_SPAWNER;
  process.env.GITHUB_SIM_GIT_SPAWNER = spawner ? '1' : '0';
  try {
    const child = startGit(args, { cwd: opts.cwd, env: opts.env ?? { PATH: process.env.PATH } });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.onStdout((b) => out.push(b));
    child.onStderr((b) => err.push(b));
    child.end(opts.input);
    const code = await child.exited;
    return { code, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8') };
  } finally {
    process.env.GITHUB_SIM_GIT_SPAWNER = before;
  }
}

async function both(args: string[], opts: Parameters<typeof run>[2] = {}): Promise<Ran> {
  const direct = await run(false, args, opts);
  const spawned = await run(true, args, opts);
  // Output compared as base64 text: Jest compares a Buffer byte by byte, for seconds.
  const seen = (r: Ran) => ({ ...r, stdout: r.stdout.toString('base64') });
  expect(seen(spawned)).toEqual(seen(direct));
  return spawned;
}

describe('git through the spawner', () => {
  const dir = tempDir('bpa-git-process-');
  afterAll(() => dir.remove());

  it('gives the same bytes back for input larger than a pipe buffer', async () => {
    await both(['init', '-q', '--bare', 'repo.git'], { cwd: dir.path });
    const blob = randomBytes(300_000);
    const written = await both(['hash-object', '-w', '--stdin'], {
      cwd: `${dir.path}/repo.git`,
      input: blob,
    });
    const oid = written.stdout.toString('utf8').trim();
    expect(oid).toMatch(/^[0-9a-f]{40}$/);
    const read = await both(['cat-file', 'blob', oid], { cwd: `${dir.path}/repo.git` });
    expect(read.stdout.equals(blob)).toBe(true);
  });

  it('gives the same exit status and error output for a failing command', async () => {
    const failed = await both(['cat-file', '-t', 'f'.repeat(40)], { cwd: `${dir.path}/repo.git` });
    expect(failed.code).not.toBe(0);
    expect(failed.stderr).not.toBe('');
  });

  it('passes exactly the environment given', async () => {
    const env = { PATH: process.env.PATH, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };
    const got = await both(['var', 'GIT_AUTHOR_IDENT'], {
      cwd: dir.path,
      env: {
        ...env,
        GIT_AUTHOR_NAME: 'Zoë Spawn',
        GIT_AUTHOR_EMAIL: 'z@example.com',
        GIT_AUTHOR_DATE: '1700000000 +0000',
      },
    });
    expect(got.stdout.toString('utf8')).toBe('Zoë Spawn <z@example.com> 1700000000 +0000\n');
  });

  it('keeps several processes apart', async () => {
    process.env.GITHUB_SIM_GIT_SPAWNER = '1';
    const inputs = Array.from({ length: 8 }, (_, i) => randomBytes(20_000 + i * 7_000));
    const oids = await Promise.all(
      inputs.map(async (input) => {
        const child = startGit(['hash-object', '--stdin'], { env: { PATH: process.env.PATH } });
        const out: Buffer[] = [];
        child.onStdout((b) => out.push(b));
        child.end(input);
        expect(await child.exited).toBe(0);
        return Buffer.concat(out).toString('utf8').trim();
      }),
    );
    const direct = await Promise.all(
      inputs.map((input) => run(false, ['hash-object', '--stdin'], { input })),
    );
    expect(oids).toEqual(direct.map((r) => r.stdout.toString('utf8').trim()));
  });

  it('runs the synchronous git of the test support the same way', () => {
    const bytes = Buffer.from([0, 1, 2, 200, 255, 10]).toString('latin1');
    const results = ['0', '1'].map((mode) => {
      process.env.GITHUB_SIM_GIT_SPAWNER = mode;
      const written = gitStatus(`${dir.path}/repo.git`, ['hash-object', '-w', '--stdin'], bytes);
      const read = gitStatus(`${dir.path}/repo.git`, ['cat-file', 'blob', written.stdout.trim()]);
      const failed = gitStatus(`${dir.path}/repo.git`, ['cat-file', '-t', 'f'.repeat(40)]);
      return { written, read, failed: { status: failed.status, stderr: failed.stderr } };
    });
    process.env.GITHUB_SIM_GIT_SPAWNER = '1';
    expect(results[1]).toEqual(results[0]);
    expect(results[1]!.read.stdout).toBe(bytes);
    expect(results[1]!.failed.status).not.toBe(0);
  });
});

describe("the spawner's frames", () => {
  it('come out whole, in order and with their bytes, however the stream is cut', () => {
    const sent: [number, number, Buffer][] = [
      [1, 7, Buffer.from('{"file":"git"}')],
      [2, 7, randomBytes(300)],
      [3, 7, Buffer.alloc(0)],
      [1, 4_000_000_000, Buffer.from('ß and more')],
    ];
    const stream = Buffer.concat(sent.map(([type, id, payload]) => encodeFrame(type, id, payload)));
    // Every single cut, and a cut at every byte.
    const cuts = [...Array.from({ length: stream.length + 1 }, (_, i) => [i]), [...stream.keys()]];
    for (const at of cuts) {
      const got: [number, number, Buffer][] = [];
      const read = frameReader((type, id, payload) => got.push([type, id, Buffer.from(payload)]));
      let from = 0;
      for (const cut of at) {
        read(stream.subarray(from, cut));
        from = cut;
      }
      read(stream.subarray(from));
      expect(got).toEqual(sent);
    }
  });
});
