import type { ConflictHunk, PickResult } from '../pick/types.js';

/**
 * Human-readable pick results. A conflict is shown the way a person finishing the job wants
 * to read it: per file, per region, the upstream change as a diff, then what the target has
 * there (with its line numbers), then what upstream expected to find.
 */
export function formatPick(
  result: PickResult,
  names: { onto: string; subjects: Map<string, string> },
): string {
  const short = (sha: string) => sha.slice(0, 7);
  const describe = (sha: string) => `${short(sha)} "${names.subjects.get(sha) ?? ''}"`;
  const lines: string[] = [];
  if (result.status === 'applied') {
    if (result.empty) {
      lines.push(`Nothing to apply: the change is already on ${names.onto}.`);
    } else {
      const made = result.picked.filter((p) => !p.empty).length;
      lines.push(
        `Applied ${made} ${made === 1 ? 'commit' : 'commits'} onto ${names.onto}: new commit ${result.commit}.`,
      );
    }
    for (const p of result.picked) {
      lines.push(
        p.empty
          ? `  ${describe(p.source)}: already there, skipped`
          : `  ${describe(p.source)} → ${short(p.result!)}`,
      );
    }
    return `${lines.join('\n')}\n`;
  }
  const before = result.picked.length;
  lines.push(
    `Conflict: ${describe(result.commit)} does not apply cleanly onto ${names.onto}` +
      (before > 0 ? ` (after ${before} earlier ${before === 1 ? 'commit' : 'commits'} applied).` : '.'),
  );
  for (const c of result.conflicts) {
    lines.push('', `${c.path}  [${c.kind}]`, `  ${c.message}`);
    c.hunks.forEach((h, i) => lines.push(...formatHunk(h, i + 1, c.hunks.length)));
  }
  if (result.merged.length > 0) lines.push('', `Merged cleanly: ${result.merged.join(', ')}`);
  return `${lines.join('\n')}\n`;
}

function formatHunk(h: ConflictHunk, n: number, total: number): string[] {
  const out = ['', `  Region ${n} of ${total}, ${range('target lines', h.ours)}:`];
  out.push('    Upstream change:');
  for (const l of h.patch.replace(/\n$/, '').split('\n')) out.push(`      ${l}`);
  out.push('    The target has here:');
  out.push(...numbered(h.oursLines, h.ours.start));
  out.push('    Upstream expected:');
  out.push(...numbered(h.baseLines, h.base.start));
  return out;
}

function range(label: string, r: { start: number; count: number }): string {
  if (r.count === 0) return `${label}: nothing, before line ${r.start}`;
  return r.count === 1
    ? `${label.replace(/s$/, '')} ${r.start}`
    : `${label} ${r.start}–${r.start + r.count - 1}`;
}

function numbered(lines: string[], start: number): string[] {
  if (lines.length === 0) return ['      (nothing)'];
  const width = String(start + lines.length - 1).length;
  return lines.map((l, i) => `      ${String(start + i).padStart(width)} | ${l.replace(/\r?\n$/, '')}`);
}
