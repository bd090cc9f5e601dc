import { isBackportError } from '../../src/errors.js';
import { parseConfig, type ConfigProblem } from '../../src/config/parse-config.js';

/** The problems a config is refused with; fails the test if it is accepted. */
export function problemsOf(raw: unknown): ConfigProblem[] {
  try {
    parseConfig(raw);
  } catch (err) {
    if (!isBackportError(err, 'invalid-config')) throw err;
    return err.data.problems;
  }
  throw new Error('the config was accepted');
}
