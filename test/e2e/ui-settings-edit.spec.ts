/**
 * Changing a limit in the Settings dialog against the real `wirelens web`: the new value
 * is shown, the proxy enforces it at once (restarted on the same port), it is kept in the
 * data folder's limits.json, and a value out of range is refused in words.
 */
import { expect as baseExpect, test, type Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { rawExchange } from '../support/origin-server';
import { openUi, serveSampleUi } from './ui-page';

// A loaded 2-core machine: every UI expectation gets room (they wait on events, not time).
const expect = baseExpect.configure({ timeout: 15_000 });

const ui = serveSampleUi();

async function openSettings(page: Page) {
  await openUi(page, ui.web.uiUrl);
  await page.getByRole('contentinfo').getByRole('button', { name: 'Settings' }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await expect(dialog).toBeVisible();
  return dialog;
}

function head(fields: number): string {
  const lines = [`GET ${ui.origin.url}/app.css HTTP/1.1`, `Host: 127.0.0.1:${ui.origin.port}`];
  lines.push('Connection: close');
  for (let i = lines.length - 1; i < fields; i++) lines.push(`X-Fill-${i}: ${i}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

test('a limit changed in Settings is shown, enforced at once and kept', async ({ page }) => {
  const before = await rawExchange(ui.web.proxyPort, head(40), { timeoutMs: 30_000 });
  expect(before.bytes.toString('latin1')).toMatch(/^HTTP\/1\.1 200 /);

  const dialog = await openSettings(page);
  await dialog.getByRole('button', { name: 'Change limits' }).click();
  await dialog.getByLabel('Most header fields per message').fill('30');
  await dialog.getByRole('button', { name: 'Apply limits' }).click();
  const term = dialog.getByRole('term').filter({ hasText: /^Most header fields per message$/ });
  await expect(term.locator('xpath=following-sibling::dd[1]/strong')).toHaveText('30 fields');
  await expect(page.getByText('proxy restarted', { exact: false }).first()).toBeVisible();

  const refused = await rawExchange(ui.web.proxyPort, head(31), { timeoutMs: 30_000 });
  expect(refused.bytes.toString('latin1')).toMatch(/^HTTP\/1\.1 431 /);
  const saved = JSON.parse(await readFile(join(ui.web.dataDir, 'limits.json'), 'utf8'));
  expect(saved).toEqual({ maxHeaderCount: 30 });
});

test('a value out of range is refused in words and nothing changes', async ({ page }) => {
  const dialog = await openSettings(page);
  await dialog.getByRole('button', { name: 'Change limits' }).click();
  const input = dialog.getByLabel('Largest message head');
  await input.fill('10');
  // The browser's own range check would stop the form; the Node side's answer is the one
  // that matters (web mode accepts anything on its socket), so bypass it.
  await input.evaluate((el) => el.removeAttribute('min'));
  await dialog.getByRole('button', { name: 'Apply limits' }).click();
  await expect(dialog.getByRole('alert')).toContainText('maxHeadBytes must be a whole number');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  const term = dialog.getByRole('term').filter({ hasText: /^Largest message head$/ });
  await expect(term.locator('xpath=following-sibling::dd[1]/strong')).toHaveText('64 KiB');
});
