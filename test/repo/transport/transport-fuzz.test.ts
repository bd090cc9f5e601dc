import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { applyDelta } from '../../../src/repo/storage/apply-delta.js';
import { encodePackEntry } from '../../../src/repo/transport/pack-entry.js';
import { PackScanner } from '../../../src/repo/transport/pack-scanner.js';
import { PktLineReader, pktLine } from '../../../src/repo/transport/pkt-line.js';
import { parseAdvertisement } from '../../../src/repo/transport/ref-advertisement.js';
import { parseReportStatus } from '../../../src/repo/transport/report-status.js';
import { SideBandReader } from '../../../src/repo/transport/side-band-reader.js';
import { fuzzOptions, isCleanFailure } from '../../support/fuzz.js';

/** Runs `parse`; a failure must be one of our errors with a message, never a crash. */
function parsesOrFailsCleanly(parse: () => unknown): boolean {
  try {
    parse();
    return true;
  } catch (err) {
    if (isCleanFailure(err)) return true;
    throw err;
  }
}

const bytes = (max: number) => fc.uint8Array({ maxLength: max }).map((a) => Buffer.from(a));

/** Valid pkt-line framing around arbitrary payloads, sometimes with a flush. */
const framed = fc
  .array(
    fc.oneof(
      bytes(40).map((b) => pktLine(b)),
      fc.constant(Buffer.from('0000')),
    ),
    { maxLength: 8 },
  )
  .map((parts) => Buffer.concat(parts));

/** A valid pack of a few blobs, as bytes. */
function pack(blobs: Buffer[]): Buffer {
  const head = Buffer.alloc(12);
  head.write('PACK', 0, 'latin1');
  head.writeUInt32BE(2, 4);
  head.writeUInt32BE(blobs.length, 8);
  const content = Buffer.concat([head, ...blobs.map((b) => encodePackEntry('blob', b))]);
  return Buffer.concat([content, createHash('sha1').update(content).digest()]);
}

/** Flips, cuts or inserts bytes of a valid input. */
function mutated(valid: fc.Arbitrary<Buffer>): fc.Arbitrary<Buffer> {
  return fc
    .tuple(valid, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.nat(2)), { maxLength: 4 }))
    .map(([buf, edits]) => {
      let out = Buffer.from(buf);
      for (const [at, byte, kind] of edits) {
        const i = out.length === 0 ? 0 : at % out.length;
        if (kind === 0 && out.length > 0) out[i] = byte;
        else if (kind === 1) out = out.subarray(0, i);
        else out = Buffer.concat([out.subarray(0, i), Buffer.from([byte]), out.subarray(i)]);
      }
      return out;
    });
}

describe('git transport parsers under fuzzing: no crash, no hang, a clear error', () => {
  it('pkt-line: any bytes in any chunks', () => {
    fc.assert(
      fc.property(
        fc.oneof(bytes(64), framed, mutated(framed)),
        fc.integer({ min: 1, max: 9 }),
        (input, chunk) =>
          parsesOrFailsCleanly(() => {
            const reader = new PktLineReader();
            for (let at = 0; at < input.length; at += chunk) {
              reader.push(input.subarray(at, at + chunk));
              while (reader.readV2() !== undefined);
            }
          }),
      ),
      fuzzOptions(300),
    );
  });

  it('side-band: any packets', () => {
    fc.assert(
      fc.property(fc.oneof(framed, mutated(framed)), (input) =>
        parsesOrFailsCleanly(() => {
          const reader = new PktLineReader();
          reader.push(input);
          new SideBandReader(() => undefined).drain(reader);
        }),
      ),
      fuzzOptions(300),
    );
  });

  it('ref advertisements and push reports', () => {
    const advert = fc
      .array(
        fc.tuple(
          fc.uint8Array({ minLength: 20, maxLength: 20 }).map((a) => Buffer.from(a).toString('hex')),
          fc.string({ maxLength: 20 }),
        ),
        {
          maxLength: 4,
        },
      )
      .map((refs) =>
        Buffer.concat([
          pktLine('# service=git-upload-pack\n'),
          Buffer.from('0000'),
          ...refs.map(([oid, name], i) =>
            pktLine(`${oid} refs/heads/${name}${i === 0 ? '\0side-band-64k ofs-delta' : ''}\n`),
          ),
          Buffer.from('0000'),
        ]),
      );
    fc.assert(
      fc.property(fc.oneof(bytes(80), advert, mutated(advert)), (input) =>
        parsesOrFailsCleanly(() => {
          parseAdvertisement(input, 'git-upload-pack');
          parseReportStatus(input);
        }),
      ),
      fuzzOptions(300),
    );
  });

  it('packs: damaged packs fail cleanly, whole ones scan', () => {
    const valid = fc.array(bytes(200), { minLength: 1, maxLength: 4 }).map(pack);
    fc.assert(
      fc.property(
        fc.oneof(valid, mutated(valid), bytes(100)),
        fc.integer({ min: 1, max: 64 }),
        (input, chunk) =>
          parsesOrFailsCleanly(() => {
            const scanner = new PackScanner();
            for (let at = 0; at < input.length; at += chunk) scanner.push(input.subarray(at, at + chunk));
            scanner.finish();
          }),
      ),
      fuzzOptions(200),
    );
  });

  it('deltas: any instructions against any base', () => {
    fc.assert(
      fc.property(bytes(64), bytes(64), (base, delta) => parsesOrFailsCleanly(() => applyDelta(base, delta))),
      fuzzOptions(500),
    );
  });

  it('a whole pack scans after the fuzzing helpers built it (the property is not vacuous)', () => {
    const scanner = new PackScanner();
    scanner.push(pack([Buffer.from('one\n'), Buffer.from('two\n')]));
    expect(scanner.finish().entries).toHaveLength(2);
  });
});
