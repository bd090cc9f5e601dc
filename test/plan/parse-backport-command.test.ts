import { describe, expect, it } from '@jest/globals';
import {
  parseBackportCommand,
  parseResolveCommand,
  parseWithCommand,
} from '../../src/plan/parse-backport-command.js';

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
    expect(parseBackportCommand('/backport v1 <!-- a --> v2 <!-- b')).toEqual(['v1', 'v2']);
    expect(parseBackportCommand('/backport v1 <!-- a\n-->\n/backport v3')).toEqual(['v1', 'v3']);
  });

  it('reads a line of many unclosed HTML comments in one pass (issue 10 e)', () => {
    // A lazy `<!--[\s\S]*?-->` rescans the rest of the line from each `<!--`: ~10^11 steps here.
    const line = `/backport v1 ${'<!--'.repeat(250_000)}`;
    expect(parseBackportCommand(`${line}\n/backport v2`)).toEqual(['v1']);
  });
});

describe('parseResolveCommand', () => {
  it('reads the answer, and is not a list of targets', () => {
    expect(parseResolveCommand('/backport resolve 1A 2C 3b')).toEqual({ answers: '1A 2C 3b' });
    expect(parseResolveCommand('/backport resolve all A')).toEqual({ answers: 'all A' });
    expect(parseBackportCommand('/backport resolve 1A')).toBeUndefined();
    expect(parseResolveCommand('/backport v1.2')).toBeUndefined();
    expect(parseResolveCommand('> /backport resolve 1A')).toBeUndefined();
    expect(parseResolveCommand('```\n/backport resolve 1A\n```')).toBeUndefined();
  });

  it('joins several resolve lines, so one decision answered twice can be told', () => {
    expect(parseResolveCommand('/backport resolve 1A\n/backport resolve 1B 2C')).toEqual({
      answers: '1A 1B 2C',
    });
  });

  it('takes the first diff block as the patch, exactly, with or without answers', () => {
    const patch = '--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+```\n';
    const body = `/backport resolve 1A\r\n\r\n\`\`\`\`diff\r\n${patch.replace(/\n/g, '\r\n')}\`\`\`\`\r\n\`\`\`diff\r\nsecond\r\n\`\`\``;
    expect(parseResolveCommand(body)).toEqual({ answers: '1A', patch });
    expect(parseResolveCommand(`/backport resolve\n~~~patch\n${patch}~~~`)).toEqual({ answers: '', patch });
    expect(parseResolveCommand('/backport resolve 1A\n```sh\nrm -rf /\n```')).toEqual({ answers: '1A' });
  });
});

describe('parseWithCommand', () => {
  it('reads the target and the prerequisites in order: sha prefixes and PR numbers', () => {
    expect(parseWithCommand('Please\n/backport v1.2 with abc1234 #456, `DEF5678`')).toEqual({
      target: 'v1.2',
      prerequisites: [{ commit: 'abc1234' }, { pull: 456 }, { commit: 'def5678' }],
      unknown: [],
    });
    expect(parseWithCommand('/backport `v1.2` WITH')).toEqual({
      target: 'v1.2',
      prerequisites: [],
      unknown: [],
    });
  });

  it('keeps words it cannot read, and is not a target list', () => {
    const body = '/backport v1.2 with abc12 #x main';
    expect(parseWithCommand(body)).toEqual({
      target: 'v1.2',
      prerequisites: [],
      unknown: ['abc12', '#x', 'main'],
    });
    expect(parseBackportCommand(body)).toBeUndefined();
    expect(parseBackportCommand(`${body}\n/backport v1.3`)).toEqual(['v1.3']);
    expect(parseWithCommand('/backport v1.2 v1.3')).toBeUndefined();
    expect(parseWithCommand('> /backport v1.2 with abc1234')).toBeUndefined();
    expect(parseWithCommand('```\n/backport v1.2 with abc1234\n```')).toBeUndefined();
  });
});
