/**
 * The original pull request's labels that go onto its backport. Labels that ask for (or
 * decline) a backport are never copied: a backport carrying `backport-to: v1.2` would ask
 * for a backport of itself.
 */
import { safePattern } from '../config/safe-pattern.js';
import type { BackportConfig } from '../config/schema.js';

export function copiedLabels(
  labels: readonly (string | { name: string })[],
  config: Pick<
    BackportConfig,
    'copyLabels' | 'labelPattern' | 'noBackportToPattern' | 'noBackportLabel' | 'labels'
  >,
): string[] {
  const wanted = config.copyLabels.map(safePattern);
  const excluded = [safePattern(config.labelPattern), safePattern(config.noBackportToPattern)];
  const out: string[] = [];
  for (const entry of labels) {
    const label = typeof entry === 'string' ? entry : entry.name;
    if (out.includes(label) || config.labels.includes(label) || label === config.noBackportLabel) continue;
    if (excluded.some((re) => re.test(label))) continue;
    if (wanted.some((re) => re.test(label))) out.push(label);
  }
  return out;
}
