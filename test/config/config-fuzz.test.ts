import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { labelRules } from '../../src/config/label-rules.js';
import { parseConfig } from '../../src/config/parse-config.js';
import { configSchema } from '../../src/config/schema.js';
import { isBackportError } from '../../src/errors.js';
import { parseBackportCommand, parseResolveCommand } from '../../src/plan/parse-backport-command.js';
import { copiedLabels } from '../../src/plan/copied-labels.js';
import { resolveTargets } from '../../src/plan/targets.js';
import { parseMarkers } from '../../src/render/marker.js';
import { fuzzOptions } from '../support/fuzz.js';

const KEYS = Object.keys(configSchema.shape);

/** Regular-expression-ish text: the characters that make patterns interesting. */
const patternText = fc
  .array(
    fc.constantFrom(
      '(',
      ')',
      '?<target>',
      '+',
      '*',
      '|',
      '^',
      '$',
      '\\',
      'a',
      '.',
      '[',
      ']',
      '{2}',
      '\\S',
      '?=',
      '\\1',
    ),
    {
      maxLength: 12,
    },
  )
  .map((parts) => parts.join(''));

const value = fc.oneof(
  fc.string({ maxLength: 30 }),
  patternText,
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.oneof(fc.string({ maxLength: 10 }), patternText), { maxLength: 3 }),
  fc.record({ pattern: patternText }),
  fc.string({ maxLength: 10 }).map((s) => `{target}${s}{number}`),
);

/** Configurations as YAML could hand them over: known keys (and some unknown) with any values. */
const rawConfig = fc.oneof(
  fc.dictionary(fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 8 })), value, { maxKeys: 6 }),
  fc.anything({ maxDepth: 2 }),
);

const label = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.string({ maxLength: 20 }).map((s) => `backport-to: ${s}`),
  fc.string({ maxLength: 20 }).map((s) => `no-backport-to: ${s}`),
  fc.constant('no-backport'),
);

describe('configuration, labels and commands under fuzzing', () => {
  it('a configuration is accepted, or refused with invalid-config naming each problem', () => {
    fc.assert(
      fc.property(rawConfig, (raw) => {
        try {
          const config = parseConfig(raw);
          expect(Object.isFrozen(config)).toBe(true);
        } catch (err) {
          if (!isBackportError(err, 'invalid-config')) throw err;
          expect(err.data.problems.length).toBeGreaterThan(0);
          for (const p of err.data.problems) expect(p.problem.length).toBeGreaterThan(0);
        }
      }),
      fuzzOptions(400),
    );
  });

  it('any labels under any accepted configuration: targets and copies, never a throw', () => {
    const accepted = rawConfig
      .map((raw) => {
        try {
          return parseConfig(raw);
        } catch {
          return parseConfig({});
        }
      })
      .filter(Boolean);
    fc.assert(
      fc.property(
        accepted,
        fc.array(label, { maxLength: 6 }),
        fc.string({ maxLength: 12 }),
        (config, labels, base) => {
          resolveTargets({ labels, config, baseBranch: base });
          copiedLabels(labels, config);
          const rules = labelRules(config);
          for (const l of labels) {
            rules.requestTarget(l);
            rules.declineTarget(l);
          }
        },
      ),
      fuzzOptions(300),
    );
  });

  it('comment commands and markers: parsed or ignored, never a throw', () => {
    const body = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.string({ maxLength: 60 }).map((s) => `/backport ${s}`),
      fc.string({ maxLength: 60 }).map((s) => `\`\`\`\n/backport ${s}\n\`\`\``),
      fc.string({ maxLength: 60 }).map((s) => `/backport resolve ${s}`),
      fc.string({ maxLength: 80 }).map((s) => `<!-- backport-assistant ${s} -->`),
      fc.json().map((j) => `<!-- backport-assistant ${j} -->`),
    );
    fc.assert(
      fc.property(fc.oneof(body, fc.constant(null)), (text) => {
        parseBackportCommand(text);
        parseResolveCommand(text);
        parseMarkers(text);
      }),
      fuzzOptions(500),
    );
  });
});
