// Real upload-pack answers (v0 and v2; deepened, thin, filtered, large) captured from git,
// then served again from a local HTTP server in chunks cut anywhere (every split position of
// a small answer, seeded random sizes, single bytes) and fetched through the real client
// path. However the bytes arrive, the client must write the same pack and index, which git
// reads back. This ruled out chunk boundaries as the cause of a loaded durable run's "the
// pack the server sent cannot be read" (which was a partial cache's lacking bases).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { ObjectReader } from '../../../src/repo/storage/object-reader.js';
import { fetchPack, type FetchPackResult } from '../../../src/repo/transport/fetch-pack.js';
import {
  fetchPackV2,
  fetchRequest,
  type FetchPackV2Options,
} from '../../../src/repo/transport/fetch-pack-v2.js';
import {
  uploadPackRequest,
  type UploadPackRequest,
} from '../../../src/repo/transport/upload-pack-request.js';
import { FastImport, GIT_ENV, git, tempDir } from '../../support/git.js';
import { Random } from '../../support/random.js';
import { writeHistory } from '../storage/object-layouts.js';

const V2_CAPS = new Map([
  ['agent', 'git/2'],
  ['fetch', 'shallow filter'],
  ['object-format', 'sha1'],
]);
const V0_CAPS = new Map(
  ['side-band-64k', 'ofs-delta', 'thin-pack', 'shallow', 'no-progress'].map((c) => [c, '']),
);

/** What the server sends next: the captured answer, cut into these pieces. */
let pieces: Buffer[] = [];

describe('upload-pack answers replayed in chunks of every size', () => {
  const dirs: { remove: () => void }[] = [];
  const scratch = () => {
    const d = tempDir('bpa-replay-');
    dirs.push(d);
    return d.path;
  };
  let repo: string;
  let commits: string[];
  let source: ObjectReader;
  let server: http.Server;
  let url: string;

  beforeAll(async () => {
    repo = scratch();
    git(repo, ['init', '-q', '--bare']);
    git(repo, ['config', 'uploadpack.allowFilter', 'true']);
    commits = writeHistory(repo, 30, 7);
    // Big objects too: a large text edited across commits (long deltas) and a large random one.
    const random = new Random(99);
    const text = Array.from({ length: 6000 }, (_, i) => `line ${i} ${random.int(1e9)}`);
    const fi = new FastImport();
    let parent = commits[commits.length - 1]!;
    for (let c = 0; c < 3; c++) {
      text[random.int(text.length)] = `edited in ${c}`;
      const noise = Array.from({ length: 70_000 }, () => String.fromCharCode(random.int(256))).join('');
      parent = fi.commit(
        'refs/heads/main',
        { 'big.txt': `${text.join('\n')}\n`, 'noise.bin': noise },
        { parents: [parent] },
      );
    }
    const ids = fi.run(repo);
    for (let i = 1; i <= 3; i++) commits.push(ids.get(`:${i}`)!);
    source = new ObjectReader(repo);
    server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/x-git-upload-pack-result' });
        res.socket?.setNoDelay(true);
        void (async () => {
          for (const piece of pieces) {
            res.write(piece);
            // A turn of the event loop between pieces, so that they tend to arrive apart.
            if (pieces.length < 64) await new Promise((r) => setTimeout(r, 1));
          }
          res.end();
        })();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/r.git`;
  });
  afterAll(async () => {
    source.close();
    await new Promise((r) => server.close(r));
    for (const d of dirs) d.remove();
  });

  interface Case {
    name: string;
    v2: boolean;
    want: string[];
    haves: string[];
    depth?: number;
    filter?: string;
  }
  const tip = () => commits[commits.length - 1]!;
  /** Named up front; the commits they name exist once `beforeAll` ran. */
  const cases: [string, () => Omit<Case, 'name'>][] = [
    ['v2, one deep', () => ({ v2: true, want: [commits[5]!], haves: [], depth: 1 })],
    ['v2, whole history, big objects (400 KB)', () => ({ v2: true, want: [tip()], haves: [] })],
    ['v2, thin (haves)', () => ({ v2: true, want: [tip()], haves: [commits[20]!] })],
    [
      'v2, filter blob:none, two deep',
      () => ({ v2: true, want: [tip()], haves: [], depth: 2, filter: 'blob:none' }),
    ],
    ['v0 side-band, thin, three deep', () => ({ v2: false, want: [tip()], haves: [commits[25]!], depth: 3 })],
  ];

  /** The request our client makes, and git's answer to it (stateless RPC, as over HTTP). */
  function capture(c: Case): Buffer {
    const common = { shallow: [], haves: c.haves, depth: c.depth };
    const body = c.v2
      ? fetchRequest({ ...options(c, ''), ...common })
      : uploadPackRequest({ ...common, want: c.want, serverCapabilities: V0_CAPS } as UploadPackRequest);
    const env = c.v2 ? { ...GIT_ENV, GIT_PROTOCOL: 'version=2' } : GIT_ENV;
    const r = spawnSync('git', ['upload-pack', '--stateless-rpc', repo], {
      env,
      input: body,
      maxBuffer: 64 << 20,
    });
    if (r.status !== 0) throw new Error(r.stderr.toString());
    return r.stdout;
  }

  function options(c: Case, packDir: string): FetchPackV2Options {
    return {
      url,
      wants: c.want,
      shallow: [],
      haves: c.haves,
      depth: c.depth,
      filter: c.filter,
      serverCapabilities: V2_CAPS,
      packDir,
      readExternal: (oid) => source.read(oid),
    };
  }

  /** Fetches through the client with the answer cut into `cut`; the pack and index written. */
  async function fetchIn(
    c: Case,
    cut: Buffer[],
  ): Promise<{ pack: Buffer; idx: Buffer; result: FetchPackResult }> {
    pieces = cut;
    const packDir = path.join(scratch(), 'objects', 'pack');
    const result = c.v2
      ? await fetchPackV2(options(c, packDir))
      : await fetchPack({ ...options(c, packDir), want: c.want, serverCapabilities: V0_CAPS });
    const name = result.pack!.name;
    return {
      pack: fs.readFileSync(path.join(packDir, `${name}.pack`)),
      idx: fs.readFileSync(path.join(packDir, `${name}.idx`)),
      result,
    };
  }

  function cutAt(answer: Buffer, sizes: () => number): Buffer[] {
    const out: Buffer[] = [];
    for (let at = 0; at < answer.length;) {
      const n = Math.max(1, sizes());
      out.push(answer.subarray(at, at + n));
      at += n;
    }
    return out;
  }

  for (const [name, make] of cases) {
    it(`${name}: the same pack and index however the answer is cut, and git reads them`, async () => {
      const c = { name, ...make() };
      const answer = capture(c);
      const whole = await fetchIn(c, [answer]);
      const packPath = path.join(scratch(), 'whole.pack');
      fs.writeFileSync(packPath, whole.pack);
      fs.writeFileSync(packPath.replace(/\.pack$/, '.idx'), whole.idx);
      git(path.dirname(packPath), ['verify-pack', packPath]);
      // Every object the index names is one git has.
      const listed = git(path.dirname(packPath), ['show-index'], whole.idx).trim().split('\n');
      for (const line of listed) {
        const oid = line.split(' ')[1]!;
        expect(source.read(oid)).toBeDefined();
      }

      if (c.haves.length > 0) expect(whole.result.pack!.thinBases).toBeGreaterThan(0);
      const cuts: Buffer[][] = [];
      // Every split position near the start (pkt-line, side-band and pack headers) and the
      // end (the checksum, the flush), and a sample between (every position under 2 KB).
      const big = answer.length > 20_000;
      const [edge, stride] = big ? [32, 9973] : [1000, 7];
      for (let at = 1; at < answer.length; at++) {
        if (at <= edge || at >= answer.length - edge || at % stride === 0) {
          cuts.push([answer.subarray(0, at), answer.subarray(at)]);
        }
      }
      const random = new Random(answer.length);
      for (const max of [7, 100, 4096, 70_000]) cuts.push(cutAt(answer, () => 1 + random.int(max)));
      cuts.push(cutAt(answer, () => 1));
      for (const cut of cuts) {
        const got = await fetchIn(c, cut);
        expect({ ...got.result, pack: got.result.pack!.name }).toEqual({
          ...whole.result,
          pack: whole.result.pack!.name,
        });
        expect(got.pack.equals(whole.pack)).toBe(true);
        expect(got.idx.equals(whole.idx)).toBe(true);
      }
    });
  }
});
