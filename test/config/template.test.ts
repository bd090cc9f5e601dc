import { describe, expect, it } from '@jest/globals';
import { literalPrefix, renderTemplate, templatePlaceholders } from '../../src/config/template.js';

describe('templates', () => {
  it('replaces each placeholder that has a value, every time it occurs', () => {
    expect(renderTemplate('[{target}] {title} ({target})', { target: 'v1.2', title: 'Fix' })).toBe(
      '[v1.2] Fix (v1.2)',
    );
    expect(renderTemplate('backport/{number}-to-{target}', { number: 12, target: 'v1' })).toBe(
      'backport/12-to-v1',
    );
  });

  it('inserts values verbatim, even ones that look like placeholders or replacement patterns', () => {
    expect(renderTemplate('{title}', { title: "$& $' {target}", target: 'x' })).toBe("$& $' {target}");
  });

  it('leaves other braces and unknown placeholders as written', () => {
    expect(renderTemplate('{ {} {a-b} {other} {target}', { target: 't' })).toBe('{ {} {a-b} {other} t');
    expect(renderTemplate('{toString}', {})).toBe('{toString}');
  });

  it('lists the placeholders in order of first use', () => {
    expect(templatePlaceholders('{b} {a} {b} {not-one}')).toEqual(['b', 'a']);
  });

  it('finds the literal prefix before the first placeholder', () => {
    expect(literalPrefix('backport/{number}-{target}')).toBe('backport/');
    expect(literalPrefix('{number}')).toBe('');
    expect(literalPrefix('fixed')).toBe('fixed');
  });
});
