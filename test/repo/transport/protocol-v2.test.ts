import { describe, expect, it } from '@jest/globals';
import { fetchRequest } from '../../../src/repo/transport/fetch-pack-v2.js';
import { FLUSH_PKT, pktLine } from '../../../src/repo/transport/pkt-line.js';
import { parseLsRefs, parseV2Capabilities } from '../../../src/repo/transport/protocol-v2.js';
import { TransportError } from '../../../src/repo/transport/transport-error.js';
import { Random } from '../../support/random.js';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const lines = (...ls: string[]) => Buffer.concat([...ls.map((l) => pktLine(`${l}\n`)), FLUSH_PKT]);

/** The pkt-lines of a request, as text: `0001` shows as `|`, `0000` as `.`. */
function decode(body: Buffer): string[] {
  const out: string[] = [];
  for (let at = 0; at < body.length;) {
    const len = parseInt(body.subarray(at, at + 4).toString('latin1'), 16);
    if (len < 4) {
      out.push(len === 1 ? '|' : '.');
      at += 4;
      continue;
    }
    out.push(
      body
        .subarray(at + 4, at + len)
        .toString('utf8')
        .trimEnd(),
    );
    at += len;
  }
  return out;
}

describe('protocol v2', () => {
  it('reads a capability advertisement, and says "not v2" for a v0 one', () => {
    const caps = parseV2Capabilities(
      lines('version 2', 'agent=git/2.39', 'ls-refs=unborn', 'fetch=shallow filter'),
    );
    expect(caps).toEqual(
      new Map([
        ['agent', 'git/2.39'],
        ['ls-refs', 'unborn'],
        ['fetch', 'shallow filter'],
      ]),
    );
    const v0 = Buffer.concat([
      pktLine('# service=git-upload-pack\n'),
      FLUSH_PKT,
      lines(`${A} HEAD\0side-band-64k`),
    ]);
    expect(parseV2Capabilities(v0)).toBeUndefined();
    expect(() => parseV2Capabilities(pktLine('version 2\n'))).toThrow(TransportError);
  });

  it('reads ls-refs answers: refs with attributes, unborn HEAD left out, ERR and truncation refused', () => {
    expect(
      parseLsRefs(
        lines(`${A} refs/heads/main symref-target:x`, `${B} refs/tags/v1 peeled:${A}`, 'unborn HEAD'),
      ),
    ).toEqual(
      new Map([
        ['refs/heads/main', A],
        ['refs/tags/v1', B],
      ]),
    );
    expect(() => parseLsRefs(lines('ERR no such repository'))).toThrow('the server refused');
    expect(() => parseLsRefs(pktLine(`${A} refs/heads/main\n`))).toThrow('the ref listing is truncated');
    expect(() => parseLsRefs(lines('what is this'))).toThrow('the ref listing has a malformed line');
  });

  it('never throws anything but a TransportError on random bytes', () => {
    const r = new Random(9);
    for (let i = 0; i < 2000; i++) {
      const parts: Buffer[] = [];
      for (let k = r.int(5); k >= 0; k--) {
        if (r.int(3) === 0) parts.push(Buffer.from(r.pick(['0000', '0001', '0002', '0003', 'zzzz', '00ff'])));
        else
          parts.push(
            pktLine(
              r.pick([`${A} refs/heads/x`, 'version 2', 'fetch=filter', 'ERR x', 'unborn HEAD', '\u0000']),
            ),
          );
      }
      const body = Buffer.concat(parts).subarray(0, r.int(200) + 1);
      for (const parse of [parseLsRefs, parseV2Capabilities]) {
        try {
          parse(body);
        } catch (err) {
          if (!(err instanceof TransportError) && !(err instanceof Error && /pkt-line/.test(err.message)))
            throw err;
        }
      }
    }
  });

  it('asks to fetch with deepen, filter, haves and done, only what the server offers', () => {
    const caps = new Map([
      ['agent', 'git/2.39'],
      ['fetch', 'shallow filter'],
    ]);
    const base = { serverCapabilities: caps, shallow: [B], haves: [B], packDir: '', url: '' };
    const o = { ...base, wants: [A], depth: 1, filter: 'blob:none', readExternal: () => undefined };
    expect(decode(fetchRequest(o))).toEqual([
      'command=fetch',
      'agent=backport-assistant',
      '|',
      'thin-pack',
      'no-progress',
      'ofs-delta',
      `want ${A}`,
      `shallow ${B}`,
      'deepen 1',
      'filter blob:none',
      `have ${B}`,
      'done',
      '.',
    ]);
    const plain = new Map([['fetch', '']]);
    expect(() => fetchRequest({ ...o, serverCapabilities: plain, depth: undefined })).toThrow(
      'the server cannot leave out blobs',
    );
    expect(() => fetchRequest({ ...o, serverCapabilities: plain, filter: undefined })).toThrow(
      'the server cannot send part of a history',
    );
  });
});
