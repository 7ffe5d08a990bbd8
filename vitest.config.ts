import { defineConfig } from 'vitest/config';

// Two projects; `npm test` runs both.
// - "unit" (`npm run test:unit`, the fast loop) needs no root, no build, no running service and no browser: pure
//   logic, components in jsdom, and the engine, lab and runner against servers the tests start themselves on
//   loopback ports.
// - "integration" spawns the built CLI (by convention every such file is named *Cli*.test.ts), drives Chromium
//   and talks to the Postfix test bed, so its globalSetup installs the Debian packages, builds dist/ and starts
//   the test bed first.
// A new test file goes to "unit" when it lives in test/unit, test/renderer or test/engine, else to "integration"
// unless listed in IN_PROCESS.
const SPAWNS_CLI = '**/*Cli*.test.ts';
// Files in the integration folders that need none of its set-up.
const IN_PROCESS = [
  'test/lab/labPolicy.test.ts',
  'test/lab/labServer.test.ts',
  'test/lab/exchangePlans.test.ts',
  'test/host/demoPasswords.test.ts',
  'test/host/planFiles.test.ts',
  'test/integration/runnerCancel.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // Integration suites share one Postfix and one browser; files run in parallel on the 2 cores.
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          setupFiles: ['test/setup/testingLibrary.ts'],
          include: [
            'test/unit/**/*.test.ts',
            'test/renderer/**/*.test.{ts,tsx}',
            'test/engine/**/*.test.ts',
            ...IN_PROCESS,
          ],
          exclude: [SPAWNS_CLI],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: [
            'test/{integration,e2e,electron,host,lab,report,package,vantage}/**/*.test.{ts,tsx}',
            `test/{unit,renderer,engine}/${SPAWNS_CLI}`,
          ],
          exclude: IN_PROCESS,
          globalSetup: ['test/globalSetup.ts'],
        },
      },
    ],
  },
});
