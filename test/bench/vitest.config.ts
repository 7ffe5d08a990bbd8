import { defineConfig } from 'vitest/config';

// `npm run bench:ui`: the UI benchmark alone (not part of `npm test`); it needs dist/ (the script builds first).
export default defineConfig({
  test: {
    include: ['test/bench/**/*.bench.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 120_000,
  },
});
