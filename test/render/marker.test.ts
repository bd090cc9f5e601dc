import { describe, expect, it } from '@jest/globals';
import { findMarker, parseMarkers, renderMarker } from '../../src/render/marker.js';

describe('hidden markers', () => {
  it('round-trips every marker type through a body with other text around it', () => {
    const body = [
      'Some text',
      renderMarker({ type: 'backport-pr', source: 12, target: 'v1.2', commits: ['abc'] }),
      renderMarker({ type: 'status-comment', source: 12 }),
      renderMarker({ type: 'tracking-issue' }),
      'more text',
    ].join('\n');
    expect(parseMarkers(body)).toEqual([
      { type: 'backport-pr', source: 12, target: 'v1.2', commits: ['abc'] },
      { type: 'status-comment', source: 12 },
      { type: 'tracking-issue' },
    ]);
    expect(findMarker(body, 'status-comment')).toEqual({ type: 'status-comment', source: 12 });
    expect(findMarker(body, 'conflict-issue')).toBeUndefined();
  });

  it('cannot be broken out of by a hostile branch name', () => {
    const target = 'evil--><img src=x>';
    const marker = renderMarker({ type: 'conflict-issue', source: 1, target, commits: [] });
    expect(marker.indexOf('-->')).toBe(marker.length - 3);
    expect(marker).not.toContain('<img');
    expect(findMarker(marker, 'conflict-issue')?.target).toBe(target);
  });

  it('ignores malformed and foreign comments', () => {
    const body =
      '<!-- backport-assistant {not json} --> <!-- other --> <!-- backport-assistant {"v":2,"type":"tracking-issue"} -->';
    expect(parseMarkers(body)).toEqual([]);
    expect(parseMarkers(null)).toEqual([]);
  });

  it('carries status rows and the config-error marker', () => {
    const rows = [{ target: 'v1', state: 'waiting' as const, at: '2024-01-01T00:00:00Z' }];
    const body = `x ${renderMarker({ type: 'status-comment', source: 3, rows })} ${renderMarker({ type: 'config-error', source: 3 })}`;
    expect(parseMarkers(body)).toEqual([
      { type: 'status-comment', source: 3, rows },
      { type: 'config-error', source: 3 },
    ]);
  });

  it('drops malformed status rows but keeps the marker', () => {
    const body = renderMarker({
      type: 'status-comment',
      source: 3,
      rows: [
        { target: 'v1', state: 'waiting', at: 'now' },
        { target: 'v2', state: 'bogus', at: 'now' } as never,
      ],
    });
    expect(findMarker(body, 'status-comment')).toEqual({
      type: 'status-comment',
      source: 3,
      rows: [{ target: 'v1', state: 'waiting', at: 'now' }],
    });
  });

  it('takes the last marker of a type: ours comes after any text a diff could smuggle in', () => {
    const smuggled = renderMarker({ type: 'conflict-issue', source: 99, target: 'evil', commits: [] });
    const ours = renderMarker({ type: 'conflict-issue', source: 12, target: 'v1.2', commits: ['abc'] });
    expect(findMarker(`\`\`\`diff\n+${smuggled}\n\`\`\`\n\n${ours}`, 'conflict-issue')?.source).toBe(12);
  });
});
