/** @type {import('jest').Config} */
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];

/** Shared by the projects that start the built backend as processes (e2e/api, e2e/browser, e2e/faults). */
const endToEnd = {
  rootDir: '<rootDir>/e2e',
  transform: { '^.+\\.(t|j)s$': swc },
  // otplib (tests compute TOTP codes) depends on ES-module-only @scure and @noble; the ledger suite
  // drives LedgerService itself, which imports ES-module-only NestJS 12.
  transformIgnorePatterns: ['/node_modules/(?!(@scure|@noble|@nestjs)/)'],
  testEnvironment: 'node',
  globalSetup: '<rootDir>/support/global-setup.ts',
  globalTeardown: '<rootDir>/support/global-teardown.ts',
};

module.exports = {
  // Global (not per project) in jest: e2e suites start real processes on a 2-core machine.
  testTimeout: 60_000,
  // Longest tiers first when no earlier run's durations are cached (jest.sequencer.js).
  testSequencer: '<rootDir>/jest.sequencer.js',
  projects: [
    {
      displayName: 'unit',
      rootDir: '<rootDir>/backend/src',
      // The Node client's own unit tests (clients/node/src/*.spec.ts) run with the backend's.
      roots: ['<rootDir>', '<rootDir>/../../clients/node/src'],
      testMatch: ['**/*.spec.ts'],
      // NestJS 12 ships ES modules; jest's CommonJS runtime needs them transformed.
      transform: { '^.+\\.(t|j)s$': swc },
      transformIgnorePatterns: ['/node_modules/(?!(@nestjs|@scure|@noble)/)'],
      testEnvironment: 'node',
    },
    // Repositories and SQL-bearing services in-process against a template-cloned PostgreSQL (no server booted).
    { displayName: 'medium', ...endToEnd, testMatch: ['<rootDir>/medium/**/*.medium-spec.ts'] },
    { displayName: 'e2e', ...endToEnd, testMatch: ['<rootDir>/api/**/*.e2e-spec.ts'], slowTestThreshold: 20 },
    // Playwright driving Debian's Chromium against the built backend serving the built client.
    // Its own global hooks: the shared ones, plus the one Chromium its suites share (support/global-setup-browser.ts).
    {
      displayName: 'browser',
      ...endToEnd,
      globalSetup: '<rootDir>/support/global-setup-browser.ts',
      globalTeardown: '<rootDir>/support/global-teardown-browser.ts',
      testMatch: ['<rootDir>/browser/**/*.e2e-spec.ts'],
      slowTestThreshold: 60,
    },
    // `npm run test:faults` (not part of `npm test`): suites that kill and restart private
    // PostgreSQL/Redis servers, SIGKILL the backend, or put nginx in front of two instances.
    { displayName: 'faults', ...endToEnd, testMatch: ['<rootDir>/faults/**/*.e2e-spec.ts'], slowTestThreshold: 60 },
  ],
};
