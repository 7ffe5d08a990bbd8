// ESLint flat config: typescript-eslint's type-aware recommended rules, Prettier for layout, and the
// architecture's import boundaries (docs/architecture.md) as rules, so a wrong import fails lint with a reason.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const ELECTRON = {
  name: 'electron',
  message: 'Only main/electron imports electron: the CLI and the browser host run without it.',
};

/** no-restricted-imports for one folder: a later block replaces the rule's options, so each repeats electron. */
function boundaries({ electron = true, patterns = [] } = {}) {
  return ['error', { paths: electron ? [ELECTRON] : [], patterns }];
}

const SHARED_IS_PURE = [
  {
    regex: '^(\\.\\./)+(main|renderer)/',
    message: 'shared/ is the pure core: it imports nothing from main/ or renderer/.',
  },
  { regex: '^node:', message: 'shared/ runs in the browser too: no Node modules.' },
];
const ENGINE_BELOW_FACES = [
  {
    regex: '^(\\.\\./)+(main/)?(cli|api|host|electron)(/|$)',
    message: 'main/smtp is the engine under every face: it imports no cli/, api/, host/ or electron/.',
  },
];
const RENDERER_THROUGH_CONTRACT = [
  {
    regex: '^(\\.\\./)+main/',
    message: 'renderer/ reaches the core only through the contract in shared/ipc.ts.',
  },
];

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'test-artifacts/', 'release/'] },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        // The per-runtime projects, and tsconfig.test.json for test/ and vitest.config.ts.
        project: [
          './tsconfig.shared.json',
          './tsconfig.node.json',
          './tsconfig.web.json',
          './tsconfig.vite.json',
          './tsconfig.test.json',
        ],
        tsconfigRootDir: import.meta.dirname,
      },
    },
  },
  {
    // Plain JavaScript (bin/, build/, this file) runs in Node and has no type information to lint with.
    files: ['**/*.{js,cjs,mjs}'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    rules: {
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-imports': boundaries(),
      // The project matches control characters on purpose: making untrusted text visible, refusing them in plans.
      'no-control-regex': 'off',
      // An async function without await is how an implementation of a Promise-returning interface reads best.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Tests read the JSON the CLI prints and the files it writes, and spoil parsed plans on purpose to see them
    // refused; typing every parsed object (or every callback that breaks one) would add nothing.
    files: ['test/**'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  { files: ['main/electron/**'], rules: { 'no-restricted-imports': boundaries({ electron: false }) } },
  { files: ['shared/**'], rules: { 'no-restricted-imports': boundaries({ patterns: SHARED_IS_PURE }) } },
  { files: ['main/smtp/**'], rules: { 'no-restricted-imports': boundaries({ patterns: ENGINE_BELOW_FACES }) } },
  { files: ['renderer/**'], rules: { 'no-restricted-imports': boundaries({ patterns: RENDERER_THROUGH_CONTRACT }) } },
  // Layout is Prettier's (printWidth 120 in .prettierrc.json); eslint-config-prettier turns off the rules it owns.
  prettier,
  {
    rules: {
      // Re-enabled after eslint-config-prettier: say which of && and || binds first. Prettier adds the parentheses.
      'no-mixed-operators': ['error', { groups: [['&&', '||']] }],
    },
  },
);
