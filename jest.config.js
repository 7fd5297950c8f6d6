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

module.exports = {
  // Global (not per project) in jest: e2e suites start real processes on a 2-core machine.
  testTimeout: 60_000,
  projects: [
    {
      displayName: 'unit',
      rootDir: '<rootDir>/backend/src',
      testMatch: ['**/*.spec.ts'],
      // NestJS 12 ships ES modules; jest's CommonJS runtime needs them transformed.
      transform: { '^.+\\.(t|j)s$': swc },
      transformIgnorePatterns: ['/node_modules/(?!(@nestjs|@scure|@noble)/)'],
      testEnvironment: 'node',
    },
    {
      displayName: 'e2e',
      rootDir: '<rootDir>/e2e',
      testMatch: ['<rootDir>/api/**/*.e2e-spec.ts'],
      transform: { '^.+\\.(t|j)s$': swc },
      // otplib (tests compute TOTP codes) depends on ES-module-only @scure and @noble; the ledger suite
      // drives LedgerService itself, which imports ES-module-only NestJS 12.
      transformIgnorePatterns: ['/node_modules/(?!(@scure|@noble|@nestjs)/)'],
      testEnvironment: 'node',
      globalSetup: '<rootDir>/support/global-setup.ts',
      globalTeardown: '<rootDir>/support/global-teardown.ts',
      slowTestThreshold: 20,
    },
  ],
};
