/**
 * The schema of `.github/backport.yml`. Each field's description is its documentation: the
 * editor JSON schema (`schema/backport.schema.json`) is generated from it, so keep the text
 * here and nowhere else. Every check that can be made on one field alone lives here; checks
 * that relate fields to each other live in `parse-config.ts`.
 */
import { z } from 'zod';
import { checkBranchName } from '../common/check-ref-name.js';
import { MAX_PATTERN_LENGTH, patternProblem } from './safe-pattern.js';
import { TEMPLATE_PLACEHOLDERS, templatePlaceholders, type TemplateField } from './template.js';

/** GitHub refuses label names longer than this. */
export const MAX_LABEL_LENGTH = 50;

/** Templates other than the body render one line: a label, a branch, a title. */
export const MAX_TEMPLATE_LENGTH = 200;
export const MAX_BODY_TEMPLATE_LENGTH = 20_000;

const text = () => z.string({ error: 'must be text' });

const labelName = () =>
  text()
    .min(1, 'must not be empty')
    .max(MAX_LABEL_LENGTH, `is longer than ${MAX_LABEL_LENGTH} characters, GitHub's limit for a label`);

const list = <T extends z.ZodType>(item: T) => z.array(item, { error: 'must be a list' });

const flag = () => z.boolean({ error: 'must be true or false' });

const wholeNumber = () => z.int({ error: 'must be a whole number' }).min(1, 'must be at least 1');

/**
 * A regular expression for RE2's linear-time engine (see safe-pattern.ts), optionally
 * required to have a named group `target`.
 */
const pattern = (needsTarget: boolean) =>
  text().superRefine((source, ctx) => {
    const problem = patternProblem(source, needsTarget);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** A `{name}` template that may use only the placeholders listed for its field. */
const template = (field: TemplateField, required: readonly string[] = []) =>
  text().superRefine((value, ctx) => {
    const max = field === 'body' ? MAX_BODY_TEMPLATE_LENGTH : MAX_TEMPLATE_LENGTH;
    if (value.length > max) {
      ctx.addIssue({ code: 'custom', message: `is longer than ${max} characters` });
      return;
    }
    const allowed: readonly string[] = TEMPLATE_PLACEHOLDERS[field];
    for (const name of templatePlaceholders(value)) {
      if (!allowed.includes(name)) {
        ctx.addIssue({
          code: 'custom',
          message: `uses \`{${name}}\`, but only ${allowed.map((a) => `\`{${a}}\``).join(', ')} may be used there`,
        });
      }
    }
    const used = templatePlaceholders(value);
    for (const name of required) {
      if (!used.includes(name)) ctx.addIssue({ code: 'custom', message: `must contain \`{${name}}\`` });
    }
  });

const branchName = () =>
  text().superRefine((name, ctx) => {
    const why = checkBranchName(name);
    if (why) ctx.addIssue({ code: 'custom', message: `is not a valid branch name: ${why}` });
  });

/** A GitHub login (a leading `@` is allowed), or one of the people of the original pull request. */
const person = () =>
  text().regex(
    /^@?(?:\{author\}|\{merger\}|[A-Za-z0-9](?:-?[A-Za-z0-9]){0,38})$/,
    'must be a GitHub login, `{author}` or `{merger}`',
  );

const CONFLICT_MODES = ['issue', 'draft-pr', 'both'] as const;
const PREVIEW_MODES = ['informative', 'required', 'off'] as const;
const MERGE_METHODS = ['merge', 'squash', 'rebase'] as const;
const COMMIT_MODES = ['push', 'api'] as const;

const TITLE_PLACEHOLDERS = TEMPLATE_PLACEHOLDERS.title.map((p) => `{${p}}`).join(', ');

export const configSchema = z
  .strictObject({
    labelPattern: pattern(true)
      .default('^backport-to: (?<target>\\S+)$')
      .describe(
        `Labels matching this regular expression (RE2 syntax: no backreferences or lookaround; no flags; at most ${MAX_PATTERN_LENGTH} characters) ask for a backport. ` +
          'Its named group `target` is the target, turned into a branch name by `targetBranch`.',
      ),
    label: template('label', ['target'])
      .default('backport-to: {target}')
      .describe(
        'The label the app adds for `/backport <target>`. Placeholder: {target}. It must match `labelPattern` and capture the same target back.',
      ),
    targetBranch: template('targetBranch', ['target'])
      .default('{target}')
      .describe('The branch a target stands for, e.g. `release/{target}`. Placeholder: {target}.'),
    branchName: template('branchName', ['number', 'target'])
      .default('backport/{number}-to-{target}')
      .describe(
        "The app's own branch for each (pull request, target). Placeholders: {number}, {target}, both required. It must start with fixed text (e.g. `backport/`): the app only ever pushes under that prefix.",
      ),
    title: template('title')
      .default('[{target}] {title}')
      .describe(`Title of backport pull requests. Placeholders: ${TITLE_PLACEHOLDERS}.`),
    body: template('body')
      .optional()
      .describe(
        `Body of backport pull requests, in Markdown; absent means the built-in body. Placeholders: ${TITLE_PLACEHOLDERS} ({branch} is the target branch, {base} the original base branch, {commits} the picked commits).`,
      ),
    copyLabels: list(pattern(false))
      .default([])
      .describe(
        'Labels of the original pull request matching any of these regular expressions are copied to the backport. Backport request labels are never copied.',
      ),
    copyAssignees: flag()
      .default(true)
      .describe("Copy the original pull request's assignees to the backport."),
    copyMilestone: flag()
      .default(true)
      .describe("Copy the original pull request's milestone to the backport."),
    requestReviewers: list(person())
      .default(['{author}'])
      .describe(
        'Reviewers requested on backport pull requests: GitHub logins, `{author}` (who opened the original) and `{merger}` (who merged it).',
      ),
    labels: list(labelName()).default(['backport']).describe('Labels added to every backport pull request.'),
    conflict: z
      .enum(CONFLICT_MODES, { error: `must be one of ${CONFLICT_MODES.map((m) => `\`${m}\``).join(', ')}` })
      .default('issue')
      .describe(
        'What to do when a pick conflicts: `issue` files an issue showing every conflicting hunk; `draft-pr` opens a draft pull request containing conflict markers; `both` does both.',
      ),
    conflictLabels: list(labelName())
      .default(['backport-conflict'])
      .describe('Labels added to conflict issues and to draft pull requests with conflict markers.'),
    assignOnConflict: list(person())
      .default(['{author}', '{merger}'])
      .describe('Who is assigned when a pick conflicts: GitHub logins, `{author}` and `{merger}`.'),
    mainline: wholeNumber()
      .default(1)
      .describe(
        'When a merge commit is picked, the parent it is compared against (as `git cherry-pick -m`).',
      ),
    maxFiles: wholeNumber()
      .default(300)
      .describe('A pull request changing more files than this is not picked automatically.'),
    branches: z
      .union(
        [list(branchName()), z.strictObject({ pattern: pattern(false) }, { error: 'must be a mapping' })],
        {
          error: 'must be a list of branch names or a mapping with `pattern`',
        },
      )
      .default([])
      .describe(
        'The supported release branches, for the release managers\' view: a list of branch names, or `{ pattern: "<regular expression>" }` matching them.',
      ),
    noBackportLabel: labelName()
      .default('no-backport')
      .describe('A label saying that a pull request needs no backport at all.'),
    noBackportToPattern: pattern(true)
      .default('^no-backport-to: (?<target>\\S+)$')
      .describe(
        'Labels matching this regular expression say that a pull request needs no backport to the target in its named group `target`.',
      ),
    fixLabels: list(labelName())
      .default(['bug', 'security'])
      .describe(
        "Labels marking a fix: the release managers' view lists merged fixes that have no backport decision.",
      ),
    autoMerge: z
      .enum(MERGE_METHODS, { error: `must be one of ${MERGE_METHODS.map((m) => `\`${m}\``).join(', ')}` })
      .optional()
      .describe(
        "Turn on GitHub's auto-merge, with this merge method, for every clean backport pull request the app opens: it merges once the branch's requirements (reviews, checks) are met. The repository must allow auto-merge (Settings → General); when it does not, the status comment says so. Absent: no auto-merge.",
      ),
    commits: z
      .enum(COMMIT_MODES, { error: `must be one of ${COMMIT_MODES.map((m) => `\`${m}\``).join(', ')}` })
      .default('push')
      .describe(
        "How backport commits reach GitHub. `push`: a git push of the commits made by the app. `api`: through GitHub's Git Database API (a blob per changed file, a tree, a commit, the ref), so GitHub signs them and they show as Verified, for branches whose protection requires signed commits; GitHub signs only commits made under the app's own name, so the original author is credited with a `Co-authored-by:` trailer.",
      ),
    preview: z
      .enum(PREVIEW_MODES, { error: `must be one of ${PREVIEW_MODES.map((m) => `\`${m}\``).join(', ')}` })
      .default('informative')
      .describe(
        'The "Backport preview" check run on open pull requests with backport labels, saying per target whether the change applies cleanly, conflicts (which files) or is already there. `informative`: its conclusion is always neutral, it never blocks a merge; `required`: it succeeds when every target applies and fails on a conflict (make it a required check to block such merges); `off`: no preview.',
      ),
    _extends: text()
      .optional()
      .describe('Inherit settings from another repository (`repo` or `owner/repo:path`); handled by Probot.'),
  })
  .describe('Configuration of Backport Assistant, read from `.github/backport.yml` on the default branch.');

export type ConflictMode = (typeof CONFLICT_MODES)[number];
export type PreviewMode = (typeof PREVIEW_MODES)[number];

type DeepReadonly<T> = T extends (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/** The parsed configuration, with every default filled in. Frozen. */
export type BackportConfig = DeepReadonly<Omit<z.output<typeof configSchema>, '_extends'>>;
