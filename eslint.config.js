import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/generated/**',
      'devstack/.cache/**',
      'devstack/.data/**',
      'devstack/neo4j/target/**',
      'schema/**',
      'apps/console/dist/**',
      'apps/console/.e2e-dist/**',
      'apps/console/test-results/**',
      'apps/console/playwright-report/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'off',
    },
  },
  {
    // The console runs in browsers (its tests in jsdom; its config files and e2e setup in Node).
    files: ['apps/console/src/**/*.{ts,tsx}', 'apps/console/test/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
