import { BackportError } from '../errors.js';
import type { Decision } from './types.js';

/** An answer: decision id → candidate letter, e.g. { '1': 'A', '2': 'C' }. */
export type Answers = Record<string, string>;

/**
 * Reads a person's answer: `1A 2C 3B` (spaces or commas between), or `all A` for the same
 * letter everywhere. Letters are case-insensitive. Every pair must name a decision and one
 * of its candidates, once; a decision left out is `checkAnswers`' business, since a kept
 * branch file excuses its regions.
 */
export function parseAnswers(text: string, decisions: readonly Decision[]): Answers {
  const tokens = text
    .trim()
    .split(/[\s,]+/)
    .filter((t) => t !== '');
  const all = /^all$/i.test(tokens[0] ?? '') ? tokens : undefined;
  if (all) {
    const letter = all[1]?.toUpperCase();
    if (all.length !== 2 || !letter || !/^[A-Z]$/.test(letter)) {
      throw syntax(`"all" takes one letter, as in "all A"; got "${text.trim()}".`, text.trim());
    }
    const answers: Answers = {};
    for (const d of decisions) answers[d.id] = letter;
    checkLabels(answers, decisions, false);
    return answers;
  }
  const answers: Answers = {};
  for (const token of tokens) {
    const m = /^(\d+)([A-Za-z]+)$/.exec(token);
    if (!m)
      throw syntax(`"${token}" is not an answer: write a decision number and a letter, as in 1A.`, token);
    const [, id, letter] = m as unknown as [string, string, string];
    if (answers[id] !== undefined) {
      throw new BackportError(
        'bad-resolution',
        `Decision ${id} was answered twice (${answers[id]} and ${letter.toUpperCase()}).`,
        {
          reason: 'duplicate',
          decision: id,
          answer: letter.toUpperCase(),
        },
      );
    }
    answers[id] = letter.toUpperCase();
  }
  checkLabels(answers, decisions, true);
  return answers;
}

/**
 * Checks an answer against the decisions: no unknown decision or letter, and every decision
 * answered, except the regions of a file whose file decision keeps the branch's file.
 */
export function checkAnswers(answers: Answers, decisions: readonly Decision[]): void {
  checkLabels(answers, decisions, true);
  const kept = new Set(
    decisions
      .filter(
        (d) =>
          d.kind === 'file' && d.candidates.find((c) => c.id === answers[d.id])?.kind === 'keep-branch-file',
      )
      .map((d) => d.path),
  );
  for (const d of decisions) {
    if (answers[d.id] !== undefined || (d.kind === 'region' && kept.has(d.path))) continue;
    throw new BackportError('bad-resolution', `Decision ${d.id} (${d.path}) has no answer.`, {
      reason: 'missing',
      decision: d.id,
    });
  }
}

function checkLabels(answers: Answers, decisions: readonly Decision[], unknownDecisions: boolean): void {
  const byId = new Map(decisions.map((d) => [d.id, d]));
  for (const [id, letter] of Object.entries(answers)) {
    const d = byId.get(id);
    if (!d) {
      if (!unknownDecisions) continue;
      throw new BackportError(
        'bad-resolution',
        `There is no decision ${id}; this pick has decisions 1–${decisions.length}.`,
        {
          reason: 'unknown-decision',
          decision: id,
          answer: letter,
        },
      );
    }
    if (!d.candidates.some((c) => c.id === letter)) {
      const known = d.candidates.map((c) => c.id).join(', ');
      throw new BackportError(
        'bad-resolution',
        `Decision ${id} has no candidate ${letter} (it has ${known}).`,
        {
          reason: 'unknown-label',
          decision: id,
          answer: letter,
        },
      );
    }
  }
}

function syntax(message: string, answer: string): BackportError {
  return new BackportError('bad-resolution', message, { reason: 'syntax', answer });
}
