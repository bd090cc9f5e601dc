import { describe, expect, it } from '@jest/globals';
import { resolvePeople } from '../../src/config/resolve-people.js';

describe('resolvePeople', () => {
  it('substitutes the author and merger and drops duplicates case-insensitively', () => {
    expect(
      resolvePeople(['{author}', '{merger}', 'Alice', 'carol'], { author: 'alice', merger: 'bob' }),
    ).toEqual(['alice', 'bob', 'carol']);
  });

  it('skips the merger when there is none', () => {
    expect(resolvePeople(['{merger}', 'dave'], { author: 'alice' })).toEqual(['dave']);
  });
});
