import { describe, expect, it } from '@jest/globals';
import { inlineCode, inlineMessage, inlineText, personName, shorten } from '../../src/render/no-ping.js';
import { mentions, unescaped, withoutCodeSpans } from './markdown-check.js';

const HOSTILE = [
  '@alice please look',
  'cc @org/security-team',
  '<img src=x onerror=alert(1)>',
  '</details><details open>',
  '<!-- backport-assistant {"v":1,"type":"tracking-issue"} -->',
  '[click](javascript:alert(1)) ![img](http://x/y.png)',
  '**bold** _em_ ~~strike~~ `code` $x^2$',
  '| a | b |',
  'line one\n# heading\n\n@everyone\r\n- list',
  'back\\slash \\@bob',
  '&amp; &#64;carol',
];

describe('inlineText', () => {
  it.each(HOSTILE)('neither pings nor leaves live markup: %j', (input) => {
    const out = inlineText(input);
    expect(mentions(out)).toEqual([]);
    expect(out).not.toMatch(/[\r\n]/);
    expect(unescaped(out.replace(/&#8203;/g, ''), '\\`*_[]<>|~$&!')).toEqual([]);
  });

  it('keeps the text readable: mentions get an invisible break, specials a backslash', () => {
    expect(inlineText('@alice fixed a_b')).toBe('@&#8203;alice fixed a\\_b');
    expect(inlineText('v1.2 release')).toBe('v1.2 release');
  });

  it('escapes what would start a block at the beginning of a line', () => {
    expect(inlineText('# not a heading')).toBe('\\# not a heading');
    expect(inlineText('- not a list')).toBe('\\- not a list');
    expect(inlineText('1. not a list')).toBe('1\\. not a list');
    expect(inlineText('a # b - c')).toBe('a # b - c');
  });

  it('shortens long text, marking the cut without splitting a character', () => {
    expect(inlineText('x'.repeat(500), 10)).toBe(`${'x'.repeat(9)}…`);
    expect(shorten('ab😀cd', 4)).toBe('ab…');
  });
});

describe('inlineCode', () => {
  it('wraps text in a span no backtick inside can close', () => {
    expect(inlineCode('release/1.2')).toBe('`release/1.2`');
    expect(inlineCode('a`b')).toBe('``a`b``');
    expect(inlineCode('`edge`')).toBe('`` `edge` ``');
    expect(withoutCodeSpans(`x ${inlineCode('a``b```c')} y`)).toBe('x   y');
  });

  it('does not ping and flattens line breaks', () => {
    const out = inlineCode('@alice\n@bob');
    expect(mentions(out)).toEqual([]);
    expect(out).toBe('`@alice @bob`');
  });

  it('escapes pipes only inside tables', () => {
    expect(inlineCode('a|b')).toBe('`a|b`');
    expect(inlineCode('a|b', { inTable: true })).toBe('`a\\|b`');
  });
});

describe('personName', () => {
  it('shows the login without notifying', () => {
    expect(personName('alice')).toBe('@&#8203;alice');
    expect(personName('dependabot[bot]')).toBe('@&#8203;dependabot\\[bot\\]');
    expect(mentions(personName('alice'))).toEqual([]);
  });
});

describe('inlineMessage', () => {
  it('turns backticked parts into code and escapes the rest', () => {
    expect(inlineMessage('`maxFiles` must be a whole number, got "many"')).toBe(
      '`maxFiles` must be a whole number, got "many"',
    );
    expect(inlineMessage('`v1..2` is not valid: it contains `..`.')).toBe(
      '`v1..2` is not valid: it contains `..`.',
    );
  });

  it('stays safe when a user value holds backticks or mentions', () => {
    const message = '`label` renders `bp `@x` <b>` for target `v1`, got "@alice"';
    const out = inlineMessage(message);
    expect(mentions(out)).toEqual([]);
    expect(unescaped(withoutCodeSpans(out).replace(/&#8203;/g, ''), '<>*_[]|')).toEqual([]);
  });

  it('treats an unpaired backtick as text', () => {
    expect(inlineMessage('a `b` c `d')).toBe('a `b` c \\`d');
  });
});

describe('the test helpers themselves', () => {
  it('find real mentions and unescaped characters', () => {
    expect(mentions('hi @alice and @org/team, mail a@b.c, `@code`\n```\n@fenced\n```')).toEqual([
      '@alice',
      '@org/team',
    ]);
    expect(unescaped('a\\*b*c', '*')).toEqual(['*']);
  });
});
