import path from 'node:path';
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumPath } from '../support/chromium';
import { keepLookupsOnThisMachine } from '../support/loopback-dns-env';

// No test may send a name lookup off this machine (see test/support/loopback-dns.mjs).
keepLookupsOnThisMachine();

export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  timeout: 60_000,
  workers: 2,
  // Artifacts in a folder of their own: Playwright empties its outputDir at start, and
  // test-results/ also holds vitest's report that .ci/summary.mjs adds up.
  outputDir: path.resolve('test-results/playwright-output'),
  reporter: [['list'], ['json', { outputFile: path.resolve('test-results/playwright.json') }]],
  use: {
    launchOptions: { executablePath: chromiumPath(), args: CHROMIUM_ARGS },
    trace: 'off',
  },
});
