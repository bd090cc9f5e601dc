import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['lib/', 'node_modules/', 'coverage/', '.cache/', 'bench-cache/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // The core (engine, planning, rendering, tracking) never imports probot, so the CLI,
    // the tests and the app all share it. Only the event layer and the entry point may.
    files: ['src/**/*.ts'],
    ignores: ['src/index.ts', 'src/events/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['probot', 'probot/*'],
              message: 'Only src/index.ts and src/events/ may import probot.',
            },
            { group: ['**/test/**'], message: 'Product code never imports test support.' },
          ],
        },
      ],
    },
  },
);
