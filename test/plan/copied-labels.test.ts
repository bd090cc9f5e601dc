import { describe, expect, it } from '@jest/globals';
import { parseConfig } from '../../src/config/parse-config.js';
import { copiedLabels } from '../../src/plan/copied-labels.js';

describe('copiedLabels', () => {
  it('copies labels matching copyLabels, but never backport requests or refusals', () => {
    const config = parseConfig({ copyLabels: ['.*'] });
    expect(
      copiedLabels(
        [
          'area/ui',
          'backport-to: v1',
          'no-backport-to: v2',
          'no-backport',
          'backport',
          { name: 'bug' },
          'bug',
        ],
        config,
      ),
    ).toEqual(['area/ui', 'bug']);
  });

  it('copies nothing by default', () => {
    expect(copiedLabels(['area/ui', 'bug'], parseConfig({}))).toEqual([]);
  });

  it('copies only what the patterns match', () => {
    expect(
      copiedLabels(['area/ui', 'kind/bug', 'bug'], parseConfig({ copyLabels: ['^area/', '^bug$'] })),
    ).toEqual(['area/ui', 'bug']);
  });
});
