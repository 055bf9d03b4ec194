/**
 * The Settings dialog (issue 9) against the real `wirelens web`: every limit the proxy
 * applies, in words and units, matching DEFAULT_LIMITS; the HTTPS interception state,
 * live; and one limit shown is checked to be the one the proxy really enforces.
 */
import { expect as baseExpect, test, type Locator, type Page } from '@playwright/test';
import { DEFAULT_LIMITS } from '../../main/core/limits';
import { join } from 'node:path';
import { rawExchange, runCurl } from '../support/origin-server';
import { selfSignedCertificate, startHttpsOrigin } from '../support/test-ca';
import { serveSampleUi } from './ui-page';

// A loaded 2-core machine: every UI expectation gets room (they wait on events, not time).
const expect = baseExpect.configure({ timeout: 15_000 });

const ui = serveSampleUi();

async function openSettings(page: Page): Promise<Locator> {
  await page.goto(ui.web.uiUrl);
  await expect(page.locator('[data-ready="true"]')).toBeVisible({ timeout: 30_000 });
  await page.getByRole('contentinfo').getByRole('button', { name: 'Settings' }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await expect(dialog).toBeVisible();
  return dialog;
}

// Written out from DEFAULT_LIMITS here (not with the UI's formatter) so a wrong unit or
// a value that is not the default both fail.
const KiB = 1024;
const expected: Array<[label: string, value: string]> = [
  ['Largest message head', `${DEFAULT_LIMITS.maxHeadBytes / KiB} KiB`],
  ['Most header fields per message', `${DEFAULT_LIMITS.maxHeaderCount} fields`],
  ['Head timeout', `${DEFAULT_LIMITS.headTimeoutMs / 1000} s`],
  ['Idle connection timeout', `${DEFAULT_LIMITS.idleTimeoutMs / 1000} s`],
  ['Upstream connect timeout', `${DEFAULT_LIMITS.upstreamConnectTimeoutMs / 1000} s`],
  ['Upstream first-byte timeout', `${DEFAULT_LIMITS.upstreamFirstByteTimeoutMs / 1000} s`],
  ['Most simultaneous client connections', `${DEFAULT_LIMITS.maxConnections} connections`],
];

test('the Settings dialog lists every limit with its default value and unit', async ({ page }) => {
  // The defaults are whole KiB and whole seconds; the expectations above rely on it.
  expect(DEFAULT_LIMITS.maxHeadBytes % KiB).toBe(0);
  expect(Object.keys(DEFAULT_LIMITS)).toHaveLength(expected.length);

  const dialog = await openSettings(page);
  const values = dialog.getByRole('definition').filter({ has: page.locator('strong') });
  await expect(values).toHaveCount(expected.length);
  for (const [label, value] of expected) {
    // Each value is in the <dd> right after its label's <dt>, as the eye reads it.
    const term = dialog.getByRole('term').filter({ hasText: new RegExp(`^${label}$`) });
    await expect(term).toHaveCount(1);
    await expect(term.locator('xpath=following-sibling::dd[1]/strong')).toHaveText(value);
  }
  await expect(dialog).toContainText('Head timeout');
  await expect(dialog).toContainText(`${DEFAULT_LIMITS.headTimeoutMs / 1000} s`);

  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});

// (Before the interception test below, which turns interception off for the rest.)
test('unticking "verified" lets a self-signed upstream through, and the dialog says what that means', async ({
  page,
}) => {
  const selfSigned = await startHttpsOrigin(await selfSignedCertificate(['127.0.0.1']));
  const curl = async (): Promise<string> => {
    const result = await runCurl([
      '-x',
      `http://127.0.0.1:${ui.web.proxyPort}`,
      '--cacert',
      join(ui.web.dataDir, 'ca.pem'),
      '-w',
      '\n%{http_code}',
      `https://127.0.0.1:${selfSigned.port}/own-cert`,
    ]);
    return result.stdout.toString();
  };
  try {
    expect(await curl()).toMatch(/self-signed[\s\S]*Upstream certificates[\s\S]*\n502$/);
    const dialog = await openSettings(page);
    const setting = dialog.locator('[data-setting="verifyUpstream"]');
    const verified = setting.getByRole('checkbox', { name: 'verified' });
    await expect(verified).toBeChecked();
    await verified.uncheck();
    // The setting changes when the restart begins; the proxy listens again a moment later.
    const listening = page.getByRole('contentinfo').getByText('Proxy listening on');
    await expect(setting).toContainText('not verified for this run', { timeout: 30_000 });
    await expect(listening).toBeVisible({ timeout: 30_000 });
    expect(await curl()).toMatch(/GET \/own-cert[\s\S]*\n200$/);
    // …and the status bar keeps saying so while it lasts.
    const reminder = page.getByRole('contentinfo').getByText('upstream certificates not verified');
    await expect(reminder).toBeVisible();
    await verified.check();
    await expect(setting).not.toContainText('not verified', { timeout: 30_000 });
    await expect(reminder).toBeHidden();
    await expect(listening).toBeVisible({ timeout: 30_000 });
    expect(await curl()).toMatch(/\n502$/);
  } finally {
    await selfSigned.close();
  }
});

test('the dialog shows the HTTPS interception state and follows the switch', async ({ page }) => {
  const dialog = await openSettings(page);
  const state = dialog.locator('[data-setting="interceptHttps"]');
  // `wirelens web` intercepts HTTPS by default.
  await expect(state).toHaveText(/^on\b/);
  await page.getByRole('checkbox', { name: 'HTTPS interception' }).uncheck();
  await expect(state).toHaveText(/^off\b/, { timeout: 30_000 });
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();
});

// The number shown is the one enforced: a head with exactly the shown number of fields
// passes to the origin; one more is refused by the proxy itself.
test('the header-count limit shown is the one the proxy applies', async () => {
  const head = (fields: number): string => {
    const lines = [`GET ${ui.origin.url}/app.css HTTP/1.1`, `Host: 127.0.0.1:${ui.origin.port}`];
    lines.push('Connection: close');
    for (let i = lines.length - 1; i < fields; i++) lines.push(`X-Fill-${i}: ${i}`);
    return `${lines.join('\r\n')}\r\n\r\n`;
  };
  const max = DEFAULT_LIMITS.maxHeaderCount;
  const ok = await rawExchange(ui.web.proxyPort, head(max), { timeoutMs: 30_000 });
  expect(ok.text).toMatch(/^HTTP\/1\.1 200 /);
  const refused = await rawExchange(ui.web.proxyPort, head(max + 1), { timeoutMs: 30_000 });
  expect(refused.text).toMatch(/^HTTP\/1\.1 431 /);
});
