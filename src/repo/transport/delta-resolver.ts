import fs from 'node:fs';
import zlib from 'node:zlib';
import { applyDelta } from '../storage/apply-delta.js';
import type { RawObject } from '../storage/pack-reader.js';
import { hashObject, OBJ_TAG, type PackEntry } from './pack-scanner.js';

/** What resolution needs besides the scanned entries. */
export interface DeltaSources {
  /** The pack file, complete on disk, for bodies the scan did not keep. */
  fd: number;
  /**
   * A ref-delta base that is not in this pack (a thin pack's base): read it from the
   * repository, or undefined when the repository lacks it too.
   */
  readExternal(oid: string): RawObject | undefined;
  /** Told of each external base used, before its deltas are resolved (to append it). */
  onExternal?(oid: string, base: RawObject): void;
}

const TYPE_NUMBERS: Record<string, number> = { commit: 1, tree: 2, blob: 3, tag: 4 };

interface Frame {
  type: number;
  data: Buffer;
  children: number[];
  next: number;
}

/**
 * The second pass: gives every delta its object id. Deltas are grouped under their base (by
 * offset for ofs-deltas, by id for ref-deltas), then each tree of deltas is walked depth
 * first from its whole base, so a base is inflated once and only one chain of results is
 * held at a time. Bases missing from the pack come from the repository through
 * `readExternal`, as `git index-pack --fix-thin` does.
 *
 * Returns the bases that neither the pack nor the repository has (their deltas are left
 * without ids): a partial repository lacks blobs of commits it names as haves, and the
 * server may send deltas against them. Empty once every object has its id.
 */
export function resolveDeltas(entries: PackEntry[], sources: DeltaSources): string[] {
  const byOffset = new Map<number, number[]>();
  const byId = new Map<string, number[]>();
  let pending = 0;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (e.baseOffset !== undefined) push(byOffset, e.baseOffset, i);
    else if (e.baseId !== undefined) push(byId, e.baseId, i);
    else continue;
    pending++;
  }
  if (pending === 0) return [];

  const childrenOf = (e: PackEntry): number[] => {
    const kids: number[] = [];
    const ofs = byOffset.get(e.offset);
    if (ofs) {
      kids.push(...ofs);
      byOffset.delete(e.offset);
    }
    const hex = e.oid!.toString('hex');
    const refs = byId.get(hex);
    if (refs) {
      kids.push(...refs);
      byId.delete(hex);
    }
    return kids;
  };

  const walk = (root: Frame) => {
    const stack = [root];
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      if (top.next >= top.children.length) {
        stack.pop();
        continue;
      }
      const child = entries[top.children[top.next++]!]!;
      const delta = child.delta ?? inflateAt(sources.fd, child);
      child.delta = undefined;
      const data = applyDelta(top.data, delta);
      child.oid = hashObject(top.type, data);
      pending--;
      const kids = childrenOf(child);
      if (kids.length > 0) stack.push({ type: top.type, data, children: kids, next: 0 });
    }
  };

  for (const e of entries) {
    if (e.type > OBJ_TAG) continue;
    const kids = childrenOf(e);
    if (kids.length > 0) walk({ type: e.type, data: inflateAt(sources.fd, e), children: kids, next: 0 });
  }
  // What is left hangs from bases outside the pack (or from nothing: a damaged pack). A base
  // the repository lacks stays listed (not taken out first): a walk from another base may
  // still make it, as a ref-delta chain of a server that sends no ofs-deltas does.
  for (const hex of [...byId.keys()]) {
    const kids = byId.get(hex);
    if (!kids) continue;
    const base = sources.readExternal(hex);
    if (!base) continue;
    byId.delete(hex);
    sources.onExternal?.(hex, base);
    walk({ type: TYPE_NUMBERS[base.type]!, data: base.data, children: kids, next: 0 });
  }
  // Last first: git writes a tree before the trees under it, so their bases are listed
  // children first; with `filter tree:0` git leaves out a wanted tree that is an entry of a
  // tree wanted before it, and asked for in this order, none is.
  if (byId.size > 0) return [...byId.keys()].reverse();
  if (pending > 0) throw new Error(`the pack has ${pending} deltas whose bases are not in it`);
  return [];
}

/** Reads and inflates an entry's body from the pack file. */
function inflateAt(fd: number, e: PackEntry): Buffer {
  const raw = Buffer.allocUnsafe(e.dataLength);
  let got = 0;
  while (got < raw.length) {
    const n = fs.readSync(fd, raw, got, raw.length - got, e.dataStart + got);
    if (n === 0) throw new Error(`the pack file ends inside the entry at ${e.offset}`);
    got += n;
  }
  const data = zlib.inflateSync(raw, { chunkSize: Math.max(64, e.size + 1), maxOutputLength: e.size + 1 });
  if (data.length !== e.size) throw new Error(`the pack entry at ${e.offset} inflates to the wrong size`);
  return data;
}

function push<K>(map: Map<K, number[]>, key: K, value: number): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
