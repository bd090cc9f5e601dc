import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { flattenControlChars, maskControlChars, terminalSafe } from '../../src/common/control-chars.js';

const CONTROL_C0_DEL = /[\u0000-\u001f\u007f]/; // eslint-disable-line no-control-regex
const CONTROL_C1 = /[\u0080-\u009f]/;

describe('control characters', () => {
  it('flattens each run of C0 controls and DEL to one space, and leaves other text alone', () => {
    expect(flattenControlChars('Fix\r\n\tthe\u0007 bug\u007f!')).toBe('Fix the  bug !');
    expect(flattenControlChars('caf\u00e9 \u0085 ✓')).toBe('caf\u00e9 \u0085 ✓');
  });

  it('masks each C0 control and DEL as ?, keeping the length', () => {
    expect(maskControlChars('src/\u001b[31mred\n.c')).toBe('src/?[31mred?.c');
    expect(maskControlChars('a\u0085b')).toBe('a\u0085b');
  });

  it('masks C1 controls too for a terminal', () => {
    expect(terminalSafe('v1.2\u001b]0;title\u0007 \u009b2J')).toBe('v1.2?]0;title? ?2J');
  });

  it('leaves no control character behind, whatever the text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(flattenControlChars(text)).not.toMatch(CONTROL_C0_DEL);
        expect(maskControlChars(text)).not.toMatch(CONTROL_C0_DEL);
        expect(maskControlChars(text)).toHaveLength(text.length);
        const safe = terminalSafe(text);
        expect(safe).not.toMatch(CONTROL_C0_DEL);
        expect(safe).not.toMatch(CONTROL_C1);
        expect(safe).toHaveLength(text.length);
      }),
    );
  });
});
