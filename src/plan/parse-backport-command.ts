/**
 * `/backport v1.2 v1.3` and `/backport resolve 1A 2C` in a comment. A command must start a
 * line; quoted lines, fenced code and HTML comments are skipped, so quoting or documenting
 * the command never runs it. A ```diff block beside `/backport resolve` is its patch.
 */

const COMMAND = /^ {0,3}\/backport(?:[ \t]+(.*))?$/;
const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})(.*)$/;

/** What a comment holds: the arguments of each command line, and its fenced blocks. */
interface CommentParts {
  commands: string[];
  fences: { info: string; content: string }[];
}

/**
 * A line without its HTML comments, and whether the last one is left open. One pass of
 * `indexOf`: a lazy regular expression (`<!--[\s\S]*?-->`) rescans the rest of the line
 * from every unclosed `<!--`, quadratic in a line anyone may write in a comment.
 */
function outsideHtmlComments(line: string): { text: string; unclosed: boolean } {
  let text = '';
  for (let at = 0; ;) {
    const open = line.indexOf('<!--', at);
    if (open === -1) return { text: text + line.slice(at), unclosed: false };
    text += line.slice(at, open);
    const close = line.indexOf('-->', open + 4);
    if (close === -1) return { text, unclosed: true };
    at = close + 3;
  }
}

/** Splits a comment into command lines (outside code and HTML comments) and fenced blocks. */
function commentParts(commentBody: string): CommentParts {
  const parts: CommentParts = { commands: [], fences: [] };
  let fence: { close: RegExp; info: string; lines: string[] } | undefined;
  let inComment = false;
  const lines = commentBody.split(/\r\n|\r|\n/);
  for (const rawLine of lines) {
    let line = rawLine;
    if (fence) {
      if (fence.close.test(line)) {
        parts.fences.push({ info: fence.info, content: fence.lines.map((l) => `${l}\n`).join('') });
        fence = undefined;
      } else fence.lines.push(line);
      continue;
    }
    if (inComment) {
      // What follows the comment does not start the line, so it cannot be a command.
      if (line.includes('-->')) inComment = false;
      continue;
    }
    const open = FENCE_OPEN.exec(line);
    if (open && !(open[1]!.startsWith('`') && open[2]!.includes('`'))) {
      const char = open[1]![0] === '`' ? '`' : '~';
      const close = new RegExp(`^ {0,3}${char}{${open[1]!.length},}[ \\t]*$`);
      fence = { close, info: open[2]!.trim().split(/\s+/)[0] ?? '', lines: [] };
      continue;
    }
    const outside = outsideHtmlComments(line);
    line = outside.text;
    inComment = outside.unclosed;
    const command = COMMAND.exec(line.trimEnd());
    if (command) parts.commands.push(command[1] ?? '');
  }
  return parts;
}

const isResolve = (args: string) => /^resolve(?:\s|$)/i.test(args.trim());
const WITH = /^(\S+)\s+with(?:\s+(.*))?$/i;
const isWith = (args: string) => WITH.test(args.trim());

/**
 * The targets named by every `/backport` line (not `/backport resolve`), in order and
 * without repeats; `[]` when the command is there without targets; undefined when there is
 * no command.
 */
export function parseBackportCommand(commentBody: string | null | undefined): string[] | undefined {
  if (!commentBody) return undefined;
  let targets: string[] | undefined;
  for (const args of commentParts(commentBody).commands) {
    if (isResolve(args) || isWith(args)) continue;
    targets ??= [];
    for (const token of args.split(/[\s,]+/)) {
      const target = token.replace(/^`(.+)`$/, '$1');
      if (target !== '' && !targets.includes(target)) targets.push(target);
    }
  }
  return targets;
}

/** `/backport resolve 1A 2C` with its optional patch. */
export interface ResolveRequest {
  /** The answer as written after `resolve` (every such line, joined): `1A 2C`, `all A`, or ''. */
  answers: string;
  /** The first ```diff (or ```patch) block of the comment, when there is one. */
  patch?: string | undefined;
}

/** The `/backport resolve` command of a comment, or undefined when there is none. */
export function parseResolveCommand(commentBody: string | null | undefined): ResolveRequest | undefined {
  if (!commentBody) return undefined;
  const parts = commentParts(commentBody);
  const lines = parts.commands.filter(isResolve).map((args) =>
    args
      .trim()
      .replace(/^resolve/i, '')
      .trim(),
  );
  if (lines.length === 0) return undefined;
  const patch = parts.fences.find((f) => /^(diff|patch)$/i.test(f.info))?.content;
  return { answers: lines.filter((l) => l !== '').join(' '), ...(patch !== undefined ? { patch } : {}) };
}

/**
 * `/backport retry` (the word alone): run the PR's failed targets again. A release branch
 * named `retry` can still be asked for with its label.
 */
export function isRetryCommand(targets: readonly string[]): boolean {
  return targets.length === 1 && targets[0] === 'retry';
}

/** A prerequisite named in `/backport v1.2 with abc1234 #456`: a commit by sha prefix, or a merged PR. */
export type PrerequisiteRef = { commit: string } | { pull: number };

/** `/backport <target> with <commit|#PR>…`: pick those first, then the PR, into one backport. */
export interface WithRequest {
  target: string;
  prerequisites: PrerequisiteRef[];
  /** Words that are neither a sha prefix (7 to 40 hex digits) nor `#<number>`. */
  unknown: string[];
}

/** The first `/backport <target> with …` line of a comment, or undefined when there is none. */
export function parseWithCommand(commentBody: string | null | undefined): WithRequest | undefined {
  if (!commentBody) return undefined;
  const args = commentParts(commentBody).commands.find(isWith);
  if (args === undefined) return undefined;
  const [, rawTarget, rest] = WITH.exec(args.trim())!;
  const request: WithRequest = {
    target: rawTarget!.replace(/^`(.+)`$/, '$1'),
    prerequisites: [],
    unknown: [],
  };
  for (const raw of (rest ?? '').split(/[\s,]+/)) {
    const token = raw.replace(/^`(.+)`$/, '$1');
    if (token === '') continue;
    const pull = /^#(\d{1,9})$/.exec(token);
    if (pull) request.prerequisites.push({ pull: Number(pull[1]) });
    else if (/^[0-9a-f]{7,40}$/i.test(token)) request.prerequisites.push({ commit: token.toLowerCase() });
    else request.unknown.push(token);
  }
  return request;
}
