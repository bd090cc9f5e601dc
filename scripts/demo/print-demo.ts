/** The demo's report for a person: what was set up, then what the app made, in plain text. */
import type { DemoRun } from './run-demo.js';

const MAX_BODY_LINES = 80;
const MARKER = /<!-- backport-assistant .*? -->/g;

export function printDemo(run: DemoRun, write: (line: string) => void = console.log): void {
  const { source, report } = run;
  write(`Backport Assistant demo: the app against a simulated GitHub (${run.simUrl}), all offline`);
  for (const note of run.notes) write(`  · ${note}`);
  write('');
  write(`${source.repo} #${source.number} "${source.title}" by ${source.author}`);
  write(`  ${source.head} → ${source.base}, squash-merged as ${source.mergeCommitSha.slice(0, 10)}`);
  write(`  labels: ${source.labels.join(', ')}`);

  write('');
  write(`Pull requests the app opened: ${report.pulls.length}`);
  for (const p of report.pulls) {
    write(`  #${p.number} ${p.title}`);
    write(`     ${p.head} → ${p.base} (head ${p.headSha.slice(0, 10)})`);
    write(`     ${p.url}`);
  }

  write('');
  write(`Issues the app filed: ${report.issues.length}`);
  for (const i of report.issues) {
    write(`  #${i.number} ${i.title}${i.labels.length > 0 ? `  [${i.labels.join(', ')}]` : ''}`);
    const lines = i.body
      .replace(MARKER, '')
      .replace(/&#8203;/g, '')
      .trimEnd()
      .split('\n');
    write('     ┌──');
    for (const line of lines.slice(0, MAX_BODY_LINES)) write(`     │ ${line}`.trimEnd());
    if (lines.length > MAX_BODY_LINES) {
      write(`     │ … ${lines.length - MAX_BODY_LINES} more lines (--json prints every body in full)`);
    }
    write('     └──');
  }

  write('');
  write(`Comments the app wrote: ${report.comments.length}`);
  for (const c of report.comments) {
    const table = markdownTable(c.body);
    const heading = /^#+\s*(.+)$/m.exec(c.body)?.[1] ?? 'comment';
    write(`  on #${c.issue}: ${heading}`);
    const shown = table ?? c.body.replace(MARKER, '').trim().split('\n');
    for (const line of shown) write(`     ${line}`.trimEnd());
  }

  for (const p of run.problems) write(`\n!! ${p}`);
  write('');
  if (run.stop) {
    write(
      `Done in ${run.seconds.toFixed(1)} s; the simulator and the app keep running (see the dashboard below).`,
    );
    return;
  }
  write(
    `Done in ${run.seconds.toFixed(1)} s; the simulator and the app are stopped` +
      (run.stateDir
        ? `. Repositories and sim-state.json are kept in ${run.stateDir}.`
        : ' (the links above are gone with them; --state-dir keeps the state).'),
  );
}

/** A Markdown table as aligned plain text: code spans and links reduced to their text. */
function markdownTable(body: string): string[] | undefined {
  const rows = body
    .split('\n')
    .filter((l) => l.startsWith('|') && !/^\|[\s|:-]+\|$/.test(l))
    .map((l) =>
      l
        .slice(1, -1)
        .split(' | ')
        .map((cell) => plain(cell.trim())),
    );
  if (rows.length === 0) return undefined;
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => columns(r[i] ?? ''))));
  const lines = rows.map((r) => r.map((cell, i) => cell + ' '.repeat(widths[i]! - columns(cell))).join('  '));
  return [lines[0]!, '─'.repeat(columns(lines[0]!.trimEnd())), ...lines.slice(1)];
}

/** East Asian wide emoji of the status table (✅ ❌ ⏳ 🔄); ⚠️ and ☑️ are narrow plus a selector. */
const WIDE = new Set([0x2705, 0x274c, 0x23f3]);

/** Terminal columns, as wcwidth counts them. */
function columns(text: string): number {
  let n = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    n += c === 0xfe0f ? 0 : WIDE.has(c) || c >= 0x1f000 ? 2 : 1;
  }
  return n;
}

function plain(cell: string): string {
  return cell
    .replace(/\[([^\]]*)\]\(<?[^)>]*>?\)/g, '$1')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/&#8203;/g, '');
}
