import { describe, expect, it } from '@jest/globals';
import { renderCopiedSection, replaceCopiedSection } from '../../src/render/copied-section.js';

const was = { labels: ['backport'], assignees: [], reviewers: ['alice', 'carol'] };
const now = { labels: ['backport'], assignees: [], reviewers: ['alice'] };

describe('replaceCopiedSection', () => {
  it('rewrites only its own section, keeping the text a person wrote around it', () => {
    const body = `Mine, above.\n\n${renderCopiedSection(12, was)}\n\nMine, below.`;
    const next = replaceCopiedSection(body, 12, now)!;
    expect(next).toBe(`Mine, above.\n\n${renderCopiedSection(12, now)}\n\nMine, below.`);
    expect(next).toContain('Review requested from @&#8203;alice.');
    expect(next).not.toContain('carol');
  });

  it('replaces the bare sentence of a body written before the section had markers, CRLF kept', () => {
    const body =
      'Top\r\n\r\nCopied from #12: labels `backport`. Review requested from @&#8203;alice, @&#8203;carol.\r\n\r\nEnd';
    const next = replaceCopiedSection(body, 12, now)!;
    expect(next.startsWith('Top\r\n\r\n<!-- backport-assistant:copied -->\r\nCopied from #12:')).toBe(true);
    expect(next.endsWith('@&#8203;alice.\r\n<!-- backport-assistant:copied:end -->\r\n\r\nEnd')).toBe(true);
  });

  it('leaves a body alone that has no section of its own (a template, or a person removed it)', () => {
    expect(replaceCopiedSection('Backport of #12 to v1.2.', 12, now)).toBeUndefined();
    expect(replaceCopiedSection('<!-- backport-assistant:copied -->\nno end', 12, now)).toBeUndefined();
    // Two candidate sentences: which one is ours cannot be told, so neither is touched.
    const twice = 'Nothing was copied from #12.\n\nNothing was copied from #12.';
    expect(replaceCopiedSection(twice, 12, now)).toBeUndefined();
  });

  it('cannot be ended early by a label that spells its end marker', () => {
    const label = '<!-- backport-assistant:copied:end -->';
    const body = `${renderCopiedSection(12, { ...now, labels: [label] })}\n\nMine.`;
    expect(replaceCopiedSection(body, 12, now)).toBe(`${renderCopiedSection(12, now)}\n\nMine.`);
  });
});
