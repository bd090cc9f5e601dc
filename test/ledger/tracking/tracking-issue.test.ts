import { describe, expect, it } from '@jest/globals';
import { findMarker } from '../../../src/render/marker.js';
import { deriveLedger } from '../../../src/ledger/ledger-reducer.js';
import type { RepoInfo } from '../../../src/ledger/ledger-store.js';
import type { BranchMissingFixes } from '../../../src/missing-fixes/missing-fixes.js';
import { summarizeRepo } from '../../../src/ledger/repo-summary.js';
import { MAX_ISSUE_BODY, renderTrackingIssue } from '../../../src/ledger/tracking/tracking-issue.js';
import { MISSING_V12, NOW, PUBLIC_REPO, seedFacts } from '../seed.js';

const repo: RepoInfo = {
  repo: PUBLIC_REPO,
  private: false,
  htmlUrl: `https://github.com/${PUBLIC_REPO}`,
  defaultBranch: 'main',
  trackingIssue: null,
};
const items = deriveLedger(seedFacts().filter((f) => f.repo === PUBLIC_REPO));
const summary = summarizeRepo({
  repo,
  items,
  missing: [{ report: MISSING_V12, computedAt: NOW.toISOString() }],
  now: NOW,
  branches: ['v1.2', 'v1.3', 'v1.4'],
});
const body = renderTrackingIssue(summary, { dashboardUrl: 'https://app.example/backport/acme/widgets' });
const section = (branch: string) => body.split('\n## ').find((s) => s.startsWith(`[\`${branch}\``)) ?? '';

describe('tracking issue body', () => {
  it('carries the tracking-issue marker and the dashboard link', () => {
    expect(findMarker(body, 'tracking-issue')).toEqual({ type: 'tracking-issue' });
    expect(body).toContain('[Dashboard](<https://app.example/backport/acme/widgets>)');
  });

  it('has one section per branch, configured ones first, even when empty', () => {
    expect(body.match(/^## .*$/gm)).toEqual([
      '## [`v1.2`](<https://github.com/acme/widgets/tree/v1.2>)',
      '## [`v1.3`](<https://github.com/acme/widgets/tree/v1.3>)',
      '## [`v1.4`](<https://github.com/acme/widgets/tree/v1.4>)',
    ]);
    expect(section('v1.4')).toContain('**0 open PRs · 0 conflicts · missing fixes not checked yet**');
  });

  it('gives counts, median / p90 latency and the oldest open item', () => {
    const v12 = section('v1.2');
    expect(v12).toContain('**1 open PR · 1 conflict · 2 missing fixes**');
    // Latencies 8 12 20 30 50 70 h: median (20 + 30) / 2 = 25h, p90 the 6th value = 70h.
    expect(v12).toContain('Latency over the last 90 days (6 backports): median 25h, p90 2d 22h.');
    // Conflict issue #43 opened on day 80 + 1h; now is day 100.
    expect(v12).toContain(
      'Oldest open: [#43](<https://github.com/acme/widgets/issues/43>) (conflict for 19d 23h, backport of [#42](<https://github.com/acme/widgets/pull/42>)).',
    );
    // Latencies 4 5 6 10 h: median 5.5h (shown rounded, 6h), p90 the 4th value = 10h.
    expect(section('v1.3')).toContain('(4 backports): median 6h, p90 10h.');
    expect(section('v1.3')).toContain('1 request not picked yet');
    // #45 merged on day 95: waiting 5 days.
    expect(section('v1.3')).toContain(
      '- Requested, not picked yet: [#45](<https://github.com/acme/widgets/pull/45>) (5d).',
    );
  });

  it('lists open PRs with checks, conflicts with assignees, and missing fixes with reasons', () => {
    const v12 = section('v1.2');
    expect(v12).toContain(
      '| [#41](<https://github.com/acme/widgets/pull/41>) | [#40](<https://github.com/acme/widgets/pull/40>)',
    );
    expect(v12).toContain('| 9d 23h | ❌ failing |');
    expect(v12).toContain('| 19d 23h | @&#8203;amy |');
    expect(v12).toContain(
      '[`1111111`](<https://github.com/acme/widgets/commit/1111111111111111111111111111111111111111>)',
    );
    expect(v12).toContain('needed: the branch has `abcdef123456`');
    expect(v12).toContain(
      'Not needed on this branch, as it lacks the commit they fix: `3333333` (fixes `0123456789ab`).',
    );
  });

  it('never pings or breaks the Markdown with user text', () => {
    expect(body).not.toMatch(/@(?!&#8203;)\w/);
    expect(body).toContain('Fix \\<b\\>bold\\</b\\> \\| pipes @&#8203;octocat');
    expect(body).not.toContain('<b>');
  });

  it('stays under the issue size limit by showing fewer rows, then fewer branches', () => {
    const many: BranchMissingFixes = {
      ...MISSING_V12,
      missing: Array.from({ length: 3000 }, (_, i) => ({
        ...MISSING_V12.missing[0]!,
        sha: i.toString(16).padStart(40, '0'),
        subject: `fix: ${'long subject '.repeat(10)}${i}`,
      })),
    };
    const big = summarizeRepo({
      repo,
      items,
      missing: [{ report: many, computedAt: NOW.toISOString() }],
      now: NOW,
    });
    const text = renderTrackingIssue(big);
    expect(text.length).toBeLessThanOrEqual(MAX_ISSUE_BODY);
    expect(text).toContain('3000 missing fixes');
    expect(text).toMatch(/…and \d+ more\./);

    const branches = Array.from({ length: 400 }, (_, i) => `release/${i}-${'x'.repeat(60)}`);
    const wide = renderTrackingIssue(summarizeRepo({ repo, items, missing: [], now: NOW, branches }));
    expect(wide.length).toBeLessThanOrEqual(MAX_ISSUE_BODY);
    expect(wide).toMatch(/\d+ more branches not shown: see the dashboard\./);
  });
});
