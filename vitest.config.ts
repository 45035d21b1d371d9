import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Two at a time even on two cores: the longest files mostly wait on the child processes they drive
    // (crash and fault tests), and vitest's default here (cores − 1) would run one file at a time.
    maxWorkers: 2,
    // Tests read the CLI's messages in English unless they choose a language (the product's default is
    // Simplified Chinese: src/i18n/index.ts); tests of the Chinese messages pass --lang zh or ADVISORY_LANG=zh.
    env: { ADVISORY_LANG: 'en' },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          setupFiles: ['test/setup/lang.ts'],
          exclude: ['test/browser/**', 'node_modules/**'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          pool: 'forks',
          // Test files share their worker's loaded modules (no module mocks, no shared mutable state between
          // files): importing the pipeline once per worker instead of once per file saves ~40 s of the run.
          isolate: false,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          pool: 'forks',
          fileParallelism: false,
        },
      },
    ],
  },
});
