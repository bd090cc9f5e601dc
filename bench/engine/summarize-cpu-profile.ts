/**
 * Reads a V8 `.cpuprofile` (from `node --cpu-prof`) and says where the time went: self time by
 * area (our source folders, each dependency, Node, GC) and the hottest functions.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { projectRoot } from '../bench-paths.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  totalMs: number;
  /** Self time by where the code lives: `src/pick`, `isomorphic-git`, `node internals`, GC… */
  byArea: { name: string; ms: number }[];
  /** Functions with the most self time. */
  hottest: { name: string; ms: number }[];
}

export function summarizeCpuProfile(path: string, top = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const byArea = new Map<string, number>();
  const byFn = new Map<string, number>();
  let totalMs = 0;
  profile.samples.forEach((id, i) => {
    // A sample's time is the gap to the next sample.
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    const frame = nodes.get(id)?.callFrame;
    if (!frame) return;
    totalMs += ms;
    const where = location(frame.url);
    const area = frame.url ? where.area : frame.functionName;
    byArea.set(area, (byArea.get(area) ?? 0) + ms);
    const fn = `${frame.functionName || '(anonymous)'} ${where.file}${frame.url ? `:${frame.lineNumber + 1}` : ''}`;
    byFn.set(fn, (byFn.get(fn) ?? 0) + ms);
  });
  const sorted = (map: Map<string, number>) =>
    [...map].sort((a, b) => b[1] - a[1]).map(([name, ms]) => ({ name, ms }));
  return { totalMs, byArea: sorted(byArea), hottest: sorted(byFn).slice(0, top) };
}

function location(url: string): { area: string; file: string } {
  if (url.startsWith('node:')) return { area: 'node internals', file: url };
  let file: string;
  try {
    file = relative(projectRoot, url.startsWith('file:') ? fileURLToPath(url) : url);
  } catch {
    return { area: url || 'other', file: url };
  }
  const dep = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
  if (dep) return { area: dep[1] as string, file: file.slice(file.lastIndexOf('node_modules/') + 13) };
  const parts = file.split('/');
  if (parts[0] === 'src' || parts[0] === 'lib') return { area: parts.slice(0, 2).join('/'), file };
  return { area: parts[0] || 'other', file };
}
