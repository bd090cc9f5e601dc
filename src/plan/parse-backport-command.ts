/**
 * `/backport v1.2 v1.3` in a comment. The command must start a line; quoted lines, fenced
 * code and HTML comments are skipped, so quoting or documenting the command never runs it.
 */

const COMMAND = /^ {0,3}\/backport(?:[ \t]+(.*))?$/;
const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})(.*)$/;

/**
 * The targets named by every `/backport` line, in order and without repeats; `[]` when the
 * command is there without targets; undefined when there is no command.
 */
export function parseBackportCommand(commentBody: string | null | undefined): string[] | undefined {
  if (!commentBody) return undefined;
  let targets: string[] | undefined;
  let fence: { char: string; length: number } | undefined;
  let inComment = false;
  for (const rawLine of commentBody.split(/\r\n|\r|\n/)) {
    let line = rawLine;
    if (fence) {
      const close = new RegExp(`^ {0,3}${fence.char === '`' ? '`' : '~'}{${fence.length},}[ \\t]*$`);
      if (close.test(line)) fence = undefined;
      continue;
    }
    if (inComment) {
      const end = line.indexOf('-->');
      if (end === -1) continue;
      inComment = false;
      // What follows the comment does not start the line, so it cannot be a command.
      continue;
    }
    const open = FENCE_OPEN.exec(line);
    if (open && !(open[1]!.startsWith('`') && open[2]!.includes('`'))) {
      fence = { char: open[1]![0]!, length: open[1]!.length };
      continue;
    }
    line = line.replace(/<!--[\s\S]*?-->/g, '');
    const unclosed = line.indexOf('<!--');
    if (unclosed !== -1) {
      inComment = true;
      line = line.slice(0, unclosed);
    }
    const command = COMMAND.exec(line.trimEnd());
    if (!command) continue;
    targets ??= [];
    for (const token of (command[1] ?? '').split(/[\s,]+/)) {
      const target = token.replace(/^`(.+)`$/, '$1');
      if (target !== '' && !targets.includes(target)) targets.push(target);
    }
  }
  return targets;
}
