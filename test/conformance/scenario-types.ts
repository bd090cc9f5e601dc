export type FileValue = string | { mode: string; data: string } | null;
export type Files = Record<string, FileValue>;

export type Pick =
  | { kind: 'single'; change: Files }
  | { kind: 'series'; changes: Files[] }
  | { kind: 'merge'; mainlineChange: Files; featureChange: Files; mainline: 1 | 2 };

export interface Scenario {
  category: string;
  description: string;
  /** Every file of the base commit. */
  base: Files;
  /** Commits made on the target branch since the base, each a set of changes. */
  target: Files[];
  pick: Pick;
}

/** Records one scenario; generators call it in a fixed order, since they share one seeded generator. */
export type AddScenario = (
  category: string,
  description: string,
  base: Files,
  target: Files[],
  pick: Pick,
) => void;

export const join = (lines: string[]) => lines.join('');
export const single = (change: Files): Pick => ({ kind: 'single', change });
