import { defineConfig } from 'vitest/config';

// Three layers (docs/architecture.md "Testing"): unit tests sit next to the code they test,
// integration and end-to-end suites live under test/. They run as separate projects so a
// developer can run the fast layer alone; `vitest run` runs all of them.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['pkg/**/*.test.ts', 'cmd/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // kubectl-driven suites start real servers; keep them from fighting over 2 cores.
          fileParallelism: false,
        },
      },
    ],
  },
});
