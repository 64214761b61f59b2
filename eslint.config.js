// ESLint flat config with typescript-eslint (chosen over Biome for its type-aware rules:
// no-floating-promises and no-misused-promises catch the unhandled rejections that would crash a
// long-running monitor).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.turbo/**', '**/coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    // Runtime code talks HTTP through core's httpRequest: on Node 20 the first use of fetch or of its
    // classes loads undici, about 10 MB of a running liqmon's memory (docs/decisions/http-client.md).
    // Tests, benchmarks and the dashboard's browser code may use them.
    files: ['packages/*/src/**/*.ts'],
    ignores: ['packages/dashboard/src/client/**'],
    rules: {
      'no-restricted-globals': [
        'error',
        ...['fetch', 'Headers', 'Request', 'Response', 'FormData'].map((name) => ({
          name,
          message: "Use httpRequest from @liqmon/core: fetch and its classes load undici, about 10 MB of memory (docs/decisions/http-client.md).",
        })),
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
