// Lint enforces the layers of ../shared/DESIGN.md (see test/lint/layer-rules.test.ts):
// shared/ is pure TypeScript; only main/electron/ imports electron; renderer/ never
// imports main/ (it reaches the Node side only through the contract).
import tseslint from 'typescript-eslint';
import vue from 'eslint-plugin-vue';
import vueParser from 'vue-eslint-parser';
import globals from 'globals';

// Node built-ins. Anchored with a leading '/' (gitignore syntax) so that `http` means the
// module, not any import path with an `http` segment such as our own shared/http/.
const nodeBuiltins = [
  'node:*',
  '/fs',
  '/path',
  '/os',
  '/net',
  '/tls',
  '/http',
  '/https',
  '/http2',
  '/crypto',
  '/zlib',
  '/stream',
  '/child_process',
  '/events',
  '/url',
  '/util',
  '/buffer',
  '/dns',
  '/worker_threads',
  '/readline',
];

const noElectron = {
  group: ['electron', 'electron/*'],
  message: 'Only main/electron/ may import electron.',
};

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'out/**',
      'dist/**',
      'release/**',
      'test-results/**',
      'playwright-report/**',
      'test/fixtures/**',
    ],
  },
  ...tseslint.configs.recommended,
  ...vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: {
      parser: vueParser,
      parserOptions: { parser: tseslint.parser, sourceType: 'module' },
    },
  },
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'vue/multi-word-component-names': 'off',
      'vue/no-v-html': 'error',
      // Formatting is prettier's job.
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
      'vue/html-indent': 'off',
      'vue/html-closing-bracket-newline': 'off',
      'vue/multiline-html-element-content-newline': 'off',
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: nodeBuiltins,
              message: 'shared/ is pure TypeScript: no Node built-ins (bytes are Uint8Array).',
            },
            noElectron,
            {
              group: ['vue', 'pinia', 'vue/*', '@vue/*'],
              message: 'shared/ is pure TypeScript: no Vue or Pinia.',
            },
            {
              group: ['**/main/**', '**/renderer/**'],
              message: 'shared/ depends on nothing above it.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['main/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    ignores: ['main/electron/**', 'test/main/electron/**', 'test/e2e/electron-launch.spec.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [noElectron] }],
    },
  },
  {
    files: ['renderer/src/**/*.ts', 'renderer/src/**/*.vue'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/main/**'],
              message: 'renderer/ reaches the Node side only through the InspectorApi contract.',
            },
            noElectron,
            {
              group: nodeBuiltins,
              message: 'renderer/ runs in a sandboxed page: no Node built-ins.',
            },
          ],
        },
      ],
    },
  },
);
