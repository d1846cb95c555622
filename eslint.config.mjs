// One linter: ESLint 9 flat config with typescript-eslint (syntax-only rules, no type information:
// fast enough for every `npm test`) and eslint-plugin-lit for the Lit templates of components/.
// `npm run lint` runs it; `npm test` fails on any error. Formatting is Prettier's job, not ESLint's.
import js from '@eslint/js';
import lit from 'eslint-plugin-lit';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'data/', '.tmp/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['components/**/*.ts'],
    ...lit.configs['flat/recommended'],
  },
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      // Unused bindings: the compiler already fails on them (noUnusedLocals, noUnusedParameters);
      // `_name` marks the ones kept on purpose (Express error handlers need four parameters).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      // `interface HTMLElementEventMap extends ParleyChatEventMap {}` is how a global DOM map is augmented.
      '@typescript-eslint/no-empty-object-type': ['error', { allowInterfaces: 'with-single-extends' }],
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // Test helpers read arbitrary JSON answers and poke at internals; shipped code stays any-free.
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
);
