import { describe, expect, it } from '@jest/globals';
import { FLUSH_PKT, PktLineReader, pktLine } from '../../../src/repo/transport/pkt-line.js';
import { parseAdvertisement } from '../../../src/repo/transport/ref-advertisement.js';
import { parseReportStatus } from '../../../src/repo/transport/report-status.js';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);

describe('pkt-lines', () => {
  it('frames a line with its length in four hex digits, the four included', () => {
    expect(pktLine('done\n').toString()).toBe('0009done\n');
    expect(() => pktLine(Buffer.alloc(65517))).toThrow(/too long/);
  });

  it('cuts packets out of bytes however they are split', () => {
    const bytes = Buffer.concat([
      pktLine('one\n'),
      FLUSH_PKT,
      pktLine(Buffer.alloc(3000, 7)),
      pktLine('two\n'),
    ]);
    for (const size of [1, 3, 5, 4096]) {
      const reader = new PktLineReader();
      const got: (string | number)[] = [];
      for (let at = 0; at < bytes.length; at += size) {
        reader.push(bytes.subarray(at, at + size));
        for (let p = reader.read(); p !== undefined; p = reader.read()) {
          got.push(p === 'flush' ? 'flush' : p.length === 3000 ? 3000 : p.toString());
        }
      }
      expect(got).toEqual(['one\n', 'flush', 3000, 'two\n']);
      expect(reader.buffered).toBe(0);
    }
  });

  it('refuses what is not a length', () => {
    const reader = new PktLineReader();
    reader.push(Buffer.from('PACK\0\0\0\x02'));
    expect(() => reader.read()).toThrow(/not a pkt-line length/);
  });
});

describe('ref advertisements', () => {
  const advert = (lines: string[]) =>
    Buffer.concat([
      pktLine('# service=git-upload-pack\n'),
      FLUSH_PKT,
      ...lines.map((l) => pktLine(l)),
      FLUSH_PKT,
    ]);

  it('reads refs, and the capabilities after the first one; peeled tags are left out', () => {
    const { refs, capabilities } = parseAdvertisement(
      advert([
        `${A} HEAD\0multi_ack thin-pack side-band-64k symref=HEAD:refs/heads/main agent=git/2.39.5\n`,
        `${A} refs/heads/main\n`,
        `${B} refs/tags/v1\n`,
        `${A} refs/tags/v1^{}\n`,
      ]),
      'git-upload-pack',
    );
    expect([...refs]).toEqual([
      ['HEAD', A],
      ['refs/heads/main', A],
      ['refs/tags/v1', B],
    ]);
    expect(capabilities.get('thin-pack')).toBe('');
    expect(capabilities.get('symref')).toBe('HEAD:refs/heads/main');
    expect(capabilities.has('shallow')).toBe(false);
  });

  it('reads an empty repository: capabilities and no refs', () => {
    const { refs, capabilities } = parseAdvertisement(
      advert([`${'0'.repeat(40)} capabilities^{}\0report-status delete-refs\n`]),
      'git-upload-pack',
    );
    expect(refs.size).toBe(0);
    expect([...capabilities.keys()]).toEqual(['report-status', 'delete-refs']);
  });

  it('refuses an answer for another service', () => {
    expect(() => parseAdvertisement(advert([]), 'git-receive-pack')).toThrow(/does not name its service/);
  });
});

describe('report-status', () => {
  it('reads the unpack result and each ref’s verdict with its reason', () => {
    const report = parseReportStatus(
      Buffer.concat([
        pktLine('unpack ok\n'),
        pktLine('ok refs/heads/a\n'),
        pktLine('ng refs/heads/b hook declined\n'),
        FLUSH_PKT,
      ]),
    )!;
    expect(report.unpack).toBe('ok');
    expect([...report.refs]).toEqual([
      ['refs/heads/a', undefined],
      ['refs/heads/b', 'hook declined'],
    ]);
    expect(parseReportStatus(Buffer.concat([pktLine('nonsense\n'), FLUSH_PKT]))).toBeUndefined();
  });
});
