import { describe, expect, it } from '@jest/globals';
import { parseBackportCommand } from '../../src/plan/parse-backport-command.js';

describe('parseBackportCommand', () => {
  it('reads the targets of a command at the start of a line', () => {
    expect(parseBackportCommand('/backport v1.2 v1.3')).toEqual(['v1.2', 'v1.3']);
    expect(parseBackportCommand('Thanks!\r\n/backport v1.2, `v1.3`\r\n')).toEqual(['v1.2', 'v1.3']);
    expect(parseBackportCommand('  /backport v1.2')).toEqual(['v1.2']);
  });

  it('merges several command lines without repeats', () => {
    expect(parseBackportCommand('/backport v1\ntext\n/backport v2 v1')).toEqual(['v1', 'v2']);
  });

  it('tells a bare command (no targets) from no command', () => {
    expect(parseBackportCommand('/backport')).toEqual([]);
    expect(parseBackportCommand('please /backport v1')).toBeUndefined();
    expect(parseBackportCommand('/backports v1')).toBeUndefined();
    expect(parseBackportCommand('/backportv1')).toBeUndefined();
    expect(parseBackportCommand('')).toBeUndefined();
    expect(parseBackportCommand(null)).toBeUndefined();
  });

  it('ignores quoted lines and indented code', () => {
    expect(parseBackportCommand('> /backport v1\n>/backport v2')).toBeUndefined();
    expect(parseBackportCommand('    /backport v1')).toBeUndefined();
  });

  it('ignores lines inside code fences, however the fence is written', () => {
    const body = [
      '```',
      '/backport in-fence',
      '```',
      '~~~~sh',
      '/backport in-tilde',
      '~~~', // too short to close a four-tilde fence
      '/backport still-in-tilde',
      '~~~~',
      '````md',
      '```',
      '/backport nested',
      '```',
      '````',
      '/backport real',
    ].join('\n');
    expect(parseBackportCommand(body)).toEqual(['real']);
  });

  it('treats an unclosed fence as running to the end', () => {
    expect(parseBackportCommand('```\n/backport v1')).toBeUndefined();
  });

  it('ignores commands inside HTML comments', () => {
    expect(parseBackportCommand('<!--\n/backport v1\n-->\n<!-- /backport v2 -->')).toBeUndefined();
    expect(parseBackportCommand('/backport v1 <!-- v2 -->')).toEqual(['v1']);
  });
});
