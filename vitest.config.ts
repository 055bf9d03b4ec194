import { defineConfig } from 'vitest/config';
import vue from '@vitejs/plugin-vue';
import { keepLookupsOnThisMachine } from './test/support/loopback-dns-env';

// No test may send a name lookup off this machine (see test/support/loopback-dns.mjs).
keepLookupsOnThisMachine();

export default defineConfig({
  plugins: [vue()],
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    // Real sockets and child processes: generous but bounded.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
  },
});
