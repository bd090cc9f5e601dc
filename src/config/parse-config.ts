/**
 * Reads `.github/backport.yml` as Probot hands it over (already parsed YAML, or null when the
 * file is absent) into a typed, frozen config, or refuses it with every problem named.
 *
 * 1. The schema checks each field on its own (types, regular expressions, placeholders).
 * 2. The checks below relate fields: the app's own label must come back through
 *    `labelPattern`, and the app's branches must stay under a prefix no target branch uses.
 */
import { BackportError } from '../errors.js';
import { checkBranchName } from '../common/check-ref-name.js';
import { issuesToProblems, type ConfigProblem } from './config-problems.js';
import { safePattern } from './safe-pattern.js';
import { configSchema, type BackportConfig } from './schema.js';
import { literalPrefix, renderTemplate } from './template.js';

export type { ConfigProblem } from './config-problems.js';

/** Targets the label round-trip is tried on; a pattern must accept at least one of them. */
const SAMPLE_TARGETS = ['v1.2', '1.2', '1.x', 'v2', 'release-1.2', 'stable', 'main'];

export function parseConfig(raw: unknown): BackportConfig {
  if (raw !== null && raw !== undefined && (typeof raw !== 'object' || Array.isArray(raw))) {
    fail([
      {
        key: '',
        problem: `the file must be a mapping of keys to values, got ${Array.isArray(raw) ? 'a list' : 'a single value'}`,
      },
    ]);
  }
  const result = configSchema.safeParse(raw ?? {}, { reportInput: true });
  if (!result.success) fail(issuesToProblems(result.error.issues, allowedKeys));
  const { _extends, ...parsed } = result.data;
  void _extends;
  const config = {
    ...parsed,
    requestReviewers: parsed.requestReviewers.map(withoutAt),
    assignOnConflict: parsed.assignOnConflict.map(withoutAt),
  };
  const problems = crossFieldProblems(config);
  if (problems.length > 0) fail(problems);
  return deepFreeze(config);
}

/** The configuration used when the repository has no `.github/backport.yml`. */
export const DEFAULT_CONFIG: BackportConfig = parseConfig(null);

/**
 * The fixed start of every branch the app creates (e.g. `backport/`). The app never pushes
 * to a branch outside it.
 */
export function backportBranchPrefix(config: Pick<BackportConfig, 'branchName'>): string {
  return literalPrefix(config.branchName);
}

function crossFieldProblems(config: Omit<BackportConfig, '_extends'>): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const pattern = safePattern(config.labelPattern);

  let roundTrips = false;
  for (const target of SAMPLE_TARGETS) {
    const label = renderTemplate(config.label, { target });
    const captured = pattern.target(label);
    if (captured === undefined) continue;
    if (captured !== target) {
      problems.push({
        key: 'label',
        problem: `\`label\` renders \`${label}\` for target \`${target}\`, but \`labelPattern\` captures \`${captured}\` from it`,
      });
      break;
    }
    roundTrips = true;
  }
  if (!roundTrips && problems.length === 0) {
    problems.push({
      key: 'label',
      problem: `\`label\` renders \`${renderTemplate(config.label, { target: 'v1.2' })}\` for target \`v1.2\`, which \`labelPattern\` does not match`,
    });
  }

  const prefix = backportBranchPrefix(config);
  const sampleBranch = renderTemplate(config.branchName, { number: 123, target: 'v1.2' });
  const targetBranch = renderTemplate(config.targetBranch, { target: 'v1.2' });
  if (prefix === '') {
    problems.push({
      key: 'branchName',
      problem:
        '`branchName` must start with fixed text such as `backport/`: the app only pushes under that prefix',
    });
  } else if (checkBranchName(sampleBranch)) {
    problems.push({
      key: 'branchName',
      problem: `\`branchName\` gives \`${sampleBranch}\`, which is not a valid branch name: ${checkBranchName(sampleBranch)}`,
    });
  } else if (targetBranch.startsWith(prefix)) {
    problems.push({
      key: 'branchName',
      problem: `\`branchName\` starts with \`${prefix}\`, which target branches such as \`${targetBranch}\` also start with`,
    });
  }
  const targetWhy = checkBranchName(targetBranch);
  if (targetWhy) {
    problems.push({
      key: 'targetBranch',
      problem: `\`targetBranch\` gives \`${targetBranch}\` for target \`v1.2\`, which is not a valid branch name: ${targetWhy}`,
    });
  }
  return problems;
}

function withoutAt(login: string): string {
  return login.replace(/^@/, '');
}

function fail(problems: ConfigProblem[]): never {
  const summary = problems.map((p) => p.problem).join('; ');
  throw new BackportError('invalid-config', `.github/backport.yml is invalid: ${summary}.`, { problems });
}

function allowedKeys(path: PropertyKey[]): string[] {
  if (path.length === 0) return Object.keys(configSchema.shape).filter((k) => k !== '_extends');
  if (path.length === 1 && path[0] === 'branches') return ['pattern'];
  return [];
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
