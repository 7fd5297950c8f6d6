// Vitest settings for `ng test` (angular.json's test target, runnerConfig). The Angular workspace is
// at the repository root, where the unit-test builder roots Vitest and writes its setup files
// (init-testbed.js …), but the client's packages are installed in frontend/node_modules: bare
// imports from outside frontend/ are resolved as if imported from frontend/src.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = fileURLToPath(new URL('./src/', import.meta.url));

export default defineConfig({
  // Not a speed expectation (no test asserts a duration): the point past which a test counts as hung. `npm test` runs
  // these beside jest's suites on two shared cores, where a test that takes 1 s alone has taken over 5 s (the default).
  test: { testTimeout: 30_000 },
  plugins: [
    {
      name: 'cryptovault:client-packages',
      enforce: 'pre',
      resolveId(source, importer, options) {
        if (!importer || importer.startsWith(src) || !/^[@\w]/.test(source) || source.includes(':')) return null;
        return this.resolve(source, `${src}main.ts`, { ...options, skipSelf: true });
      },
    },
  ],
});
