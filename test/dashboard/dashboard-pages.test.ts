import { describe, expect, it } from '@jest/globals';
import { renderRepoPage } from '../../src/dashboard/dashboard-pages.js';
import { html, safeHref } from '../../src/dashboard/html.js';
import { renderLatencyChart } from '../../src/dashboard/latency-chart.js';
import { deriveLedger } from '../../src/ledger/ledger-reducer.js';
import { summarizeRepo } from '../../src/ledger/repo-summary.js';
import { at, backportPr, conflictIssue, sourcePr } from '../ledger/fact-builders.js';

const H = 3_600_000;
const point = (source: number, day: number, hours: number) => ({
  source,
  at: at(day * 24),
  latencyMs: hours * H,
});

describe('latency chart', () => {
  const from = new Date(at(0));
  const to = new Date(at(100 * 24));

  it('is an accessible image with a title and a description that carries the numbers', () => {
    const svg = renderLatencyChart(
      [
        { branch: 'v1.2', points: [point(1, 10, 8), point(2, 20, 12)] },
        { branch: 'v1.3', points: [] },
      ],
      { from, to, idPrefix: 'c1' },
    );
    expect(svg).toMatch(/^<svg [^>]*role="img" aria-labelledby="c1-title c1-desc"/);
    expect(svg).toContain('<title id="c1-title">Backport latency per branch</title>');
    expect(svg).toContain('v1.2: 2 backports, median 10h; v1.3: no backport merged.');
    expect(svg).toContain('Latency (hours)');
    expect(svg).toContain('Backport merged (UTC)');
    expect(svg.match(/<title>v1\.2: #\d+ took/g)).toHaveLength(2);
  });

  it('places each backport by merge time and latency', () => {
    // Plot area: x from 64 to 64 + 524, y from 24 to 24 + 244; max 10h gives a 0–10 h axis.
    const svg = renderLatencyChart([{ branch: 'v1', points: [point(1, 50, 10), point(2, 75, 5)] }], {
      from,
      to,
    });
    expect(svg).toContain('<circle cx="326" cy="24" r="4.5"');
    expect(svg).toContain('<circle cx="457" cy="146" r="4.5"');
    expect(svg).toContain('<polyline points="326,24 457,146"');
  });

  it('switches to days for long latencies, and says when there is nothing to show', () => {
    expect(renderLatencyChart([{ branch: 'v1', points: [point(1, 50, 100)] }], { from, to })).toContain(
      'Latency (days)',
    );
    expect(renderLatencyChart([], { from, to })).toContain('No backport merged in this period');
  });

  it('escapes branch names', () => {
    const svg = renderLatencyChart([{ branch: '<script>x</script>"', points: [point(1, 50, 1)] }], {
      from,
      to,
    });
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;');
  });
});

describe('dashboard pages', () => {
  it('escapes everything that comes from GitHub', () => {
    const items = deriveLedger([
      sourcePr({
        number: 1,
        title: '<img src=x onerror=alert(1)>',
        mergedAt: at(1),
        labels: ['backport-to: <b>v1</b>'],
      }),
      conflictIssue({ number: 2, source: 1, target: '<b>v1</b>', assignees: ['"><script>'] }),
      backportPr({ number: 3, source: 5, target: 'v2' }),
    ]);
    const repo = {
      repo: 'a/b',
      private: false,
      htmlUrl: 'javascript:alert(1)',
      defaultBranch: 'main',
      trackingIssue: null,
    };
    const summary = summarizeRepo({ repo, items, missing: [], now: new Date(at(48)) });
    const page = renderRepoPage(summary, '<svg></svg>', {
      prefix: '/backport',
      user: '<u>',
      here: '/backport/a/b',
      canSignIn: true,
    });
    expect(page).not.toMatch(/<img|<script|<b>|<u>|javascript:/);
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page).toContain('Signed in as &lt;u&gt;');
  });

  it('builds HTML with escaping by default', () => {
    const inner = html`<i>${'a&b'}</i>`;
    expect(html`<p title="${'"x"'}">${inner}${['<', 1, null, false]}</p>`.value).toBe(
      '<p title="&quot;x&quot;"><i>a&amp;b</i>&lt;1</p>',
    );
    expect([safeHref('https://x/y'), safeHref('/p'), safeHref('//evil'), safeHref('data:x')]).toEqual([
      'https://x/y',
      '/p',
      '#',
      '#',
    ]);
  });
});
