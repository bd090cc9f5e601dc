import { describe, expect, it } from '@jest/globals';
import { findMarker } from '../../src/render/marker.js';
import {
  parseStatusComment,
  renderStatusComment,
  upsertStatusRow,
  type StatusRow,
} from '../../src/render/status-comment.js';
import { mentions } from './markdown-check.js';

const AT = '2024-05-01T12:00:00.000Z';

const rows: StatusRow[] = [
  {
    target: 'v1.2',
    state: 'opened',
    link: { url: 'https://github.com/acme/widgets/pull/34', number: 34 },
    at: AT,
  },
  {
    target: 'v1.1',
    branch: 'release/v1.1',
    state: 'conflict',
    link: { url: 'https://github.com/acme/widgets/issues/35', number: 35 },
    draft: { url: 'https://github.com/acme/widgets/pull/36', number: 36 },
    at: AT,
  },
  { target: 'v1.0', state: 'already-applied', at: AT },
  { target: 'v2.0', state: 'waiting', at: AT },
  { target: 'v1.10', state: 'in-progress', at: AT },
  {
    target: 'v1..9',
    state: 'failed',
    error: { code: 'invalid-ref-name', message: '`v1..9` is not a valid branch name: it contains `..`.' },
    at: AT,
  },
  {
    target: 'v0.9',
    state: 'merged',
    link: { url: 'https://github.com/acme/widgets/pull/30', number: 30 },
    at: AT,
  },
];

function tableRows(body: string): string[] {
  return body
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| Target') && !line.startsWith('| ---'));
}

describe('status comment', () => {
  it('renders one row per target with its result and time', () => {
    const body = renderStatusComment(12, rows);
    const table = tableRows(body);
    expect(table).toContain(
      '| `v1.2` | ✅ backport pull request [#34](<https://github.com/acme/widgets/pull/34>) | 2024-05-01T12:00:00.000Z |',
    );
    expect(table).toContain(
      '| `v1.1` (`release/v1.1`) | ⚠️ needs manual adaptation: see [#35](<https://github.com/acme/widgets/issues/35>); draft with conflict markers: [#36](<https://github.com/acme/widgets/pull/36>) | 2024-05-01T12:00:00.000Z |',
    );
    expect(table).toContain('| `v1.0` | ☑️ already on `v1.0` | 2024-05-01T12:00:00.000Z |');
    expect(table).toContain(
      '| `v2.0` | ⏳ waiting for the pull request to be merged | 2024-05-01T12:00:00.000Z |',
    );
    expect(table).toContain('| `v1.10` | 🔄 in progress | 2024-05-01T12:00:00.000Z |');
    expect(table).toContain(
      '| `v1..9` | ❌ `v1..9` is not a valid branch name: it contains `..`. | 2024-05-01T12:00:00.000Z |',
    );
    expect(table).toContain(
      '| `v0.9` | ✅ merged in [#30](<https://github.com/acme/widgets/pull/30>) | 2024-05-01T12:00:00.000Z |',
    );
  });

  it('orders rows by target, numbers compared as numbers', () => {
    const targets = tableRows(renderStatusComment(12, rows)).map(
      (line) => line.split(' | ')[0]!.slice(2).split(' ')[0],
    );
    expect(targets).toEqual(['`v0.9`', '`v1..9`', '`v1.0`', '`v1.1`', '`v1.2`', '`v1.10`', '`v2.0`']);
  });

  it('parses back every row it rendered', () => {
    const body = renderStatusComment(12, rows);
    const parsed = parseStatusComment(body);
    expect(parsed).toHaveLength(rows.length);
    expect(new Set(parsed)).toEqual(new Set(rows));
    expect(findMarker(body, 'status-comment')?.source).toBe(12);
  });

  it('updates one row and keeps the others exactly', () => {
    const before = renderStatusComment(12, rows);
    const update: StatusRow = {
      target: 'v2.0',
      state: 'opened',
      link: { url: 'https://github.com/acme/widgets/pull/50', number: 50 },
      at: '2024-05-02T00:00:00.000Z',
    };
    const after = renderStatusComment(12, upsertStatusRow(parseStatusComment(before), update));
    const beforeRows = tableRows(before);
    const afterRows = tableRows(after);
    expect(afterRows).toHaveLength(beforeRows.length);
    expect(afterRows.filter((r) => !beforeRows.includes(r))).toEqual([
      '| `v2.0` | ✅ backport pull request [#50](<https://github.com/acme/widgets/pull/50>) | 2024-05-02T00:00:00.000Z |',
    ]);
    const added = upsertStatusRow(parseStatusComment(after), { target: 'v3', state: 'waiting', at: AT });
    expect(added.map((r) => r.target)).toEqual([
      'v0.9',
      'v1..9',
      'v1.0',
      'v1.1',
      'v1.2',
      'v1.10',
      'v2.0',
      'v3',
    ]);
  });

  it('keeps hostile targets and messages inside their cells, without pings', () => {
    const hostile: StatusRow[] = [
      { target: 'a|b`c', state: 'waiting', at: AT },
      {
        target: 'x',
        state: 'failed',
        error: { code: 'internal', message: '@alice broke it | <b>bold</b> --> \n# heading' },
        at: '@bob | 1',
      },
    ];
    const body = renderStatusComment(1, hostile);
    for (const line of tableRows(body)) {
      // Three cells: exactly four unescaped pipes per row.
      expect(line.replace(/\\\|/g, '').split('|')).toHaveLength(5);
    }
    expect(mentions(body)).toEqual([]);
    expect(body).not.toContain('<b>');
    expect(parseStatusComment(body)).toEqual(hostile.sort((a, b) => a.target.localeCompare(b.target)));
  });

  it('ignores rows a person broke by editing the marker, and bodies without one', () => {
    const body = renderStatusComment(3, rows.slice(0, 1)).replace('"state":"opened"', '"state":"exploded"');
    expect(parseStatusComment(body)).toEqual([]);
    expect(parseStatusComment('just a comment')).toEqual([]);
    expect(parseStatusComment(null)).toEqual([]);
  });

  it('says so when there are no rows', () => {
    expect(renderStatusComment(3, [])).toContain('No backport was asked for yet.');
  });
});
