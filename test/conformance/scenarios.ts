import type { Random } from '../support/random.js';
import { contentScenarios } from './content-scenarios.js';
import { entryKindScenarios } from './entry-kind-scenarios.js';
import { historyScenarios } from './history-scenarios.js';
import { randomScenarios } from './random-scenarios.js';
import { renameScenarios } from './rename-scenarios.js';
import type { AddScenario, Scenario } from './scenario-types.js';
import { textShapeScenarios } from './text-shape-scenarios.js';

export type { FileValue, Files, Pick, Scenario } from './scenario-types.js';

/**
 * Every category the engine must match git on, with a few seeded variations each. The
 * generators draw from one seeded generator in turn, so their order fixes every scenario.
 */
export function generateScenarios(rng: Random): Scenario[] {
  const out: Scenario[] = [];
  const add: AddScenario = (category, description, base, target, pick) =>
    out.push({ category, description, base, target, pick });
  contentScenarios(rng, add);
  entryKindScenarios(rng, add);
  renameScenarios(rng, add);
  textShapeScenarios(rng, add);
  historyScenarios(rng, add);
  randomScenarios(rng, (scenario) => out.push(scenario));
  return out;
}
