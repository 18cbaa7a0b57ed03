// Three layers (docs/architecture.md, habit 10): unit (pure), http (supertest on createApp with fakes at the
// lowest seam), integration (real OpenSearch and Redis; started by ops/test.sh or OPENSEARCH_URL);
// and the attack suite (security), which runs on the integration node.
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: false }];
const common = {
  testEnvironment: 'node',
  transform: { '^.+\\.(ts|js|mjs)$': tsJest },
  // hyparquet (with its compressors and hysnappy), kdbush and puppeteer-core (with @puppeteer/browsers,
  // which it imports lazily) are ESM-only: let ts-jest turn them into CommonJS for jest.
  transformIgnorePatterns: ['/node_modules/(?!(hyparquet|hyparquet-compressors|hyparquet-writer|hysnappy|kdbush|puppeteer-core|@puppeteer/browsers)/)'],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
};
module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    { ...common, displayName: 'http', testMatch: ['<rootDir>/test/http/**/*.test.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.int.test.ts'],
      globalSetup: '<rootDir>/test/integration/global-setup.ts',
      globalTeardown: '<rootDir>/test/integration/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/integration/setup-timeout.ts'],
    },
    // The attack suite (docs/security.md, "Attack suite"): the app over the real OpenSearch node, as
    // an attacker would use it. It needs the integration node, so it shares the integration setup.
    {
      ...common,
      displayName: 'security',
      testMatch: ['<rootDir>/test/security/**/*.sec.test.ts'],
      globalSetup: '<rootDir>/test/integration/global-setup.ts',
      globalTeardown: '<rootDir>/test/integration/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/integration/setup-timeout.ts'],
    },
  ],
};
