/**
 * Capture files and HAR as long jobs, through the real `wirelens web` UI: Save capture →
 * Clear → Open capture brings the rows and bodies back (replacing the session after a
 * confirmation); a HAR of thousands of entries shows a progress bar and can be
 * cancelled part-way, with the outcome in words; Export HAR of the selected exchanges.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { expect as baseExpect, test, type Page } from '@playwright/test';
import { generateHar } from '../support/har-generator';
import { dataRows, openUi, serveSampleUi } from './ui-page';
import { viaProxy } from './ui-traffic';

// A loaded 2-core machine: every UI expectation gets room (they wait on events, not time).
const expect = baseExpect.configure({ timeout: 30_000 });
const ui = serveSampleUi();
let capturePath = '';

const result = (page: Page) => page.getByRole('status', { name: 'Transfer result' });
const exchangeCount = (page: Page) => page.getByLabel('Exchange count');

test('Save capture, Clear, Open capture: the rows and bodies come back', async ({
  page,
}, testInfo) => {
  await openUi(page, ui.web.uiUrl);
  await viaProxy(ui.web.proxyPort, `${ui.origin.url}/api/users?page=1`);
  await viaProxy(ui.web.proxyPort, `${ui.origin.url}/index.html`);
  await expect(dataRows(page)).toHaveCount(2);
  await expect(dataRows(page).filter({ hasText: 'pending' })).toHaveCount(0);

  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Save capture' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^wirelens-.*\.wlcap$/);
  capturePath = testInfo.outputPath('saved.wlcap');
  await download.saveAs(capturePath);
  await expect(result(page)).toContainText('Saved 2 exchanges as a capture file.');

  await page.getByRole('button', { name: 'Clear all' }).click();
  await page.getByRole('button', { name: 'Delete all' }).click();
  await expect(dataRows(page)).toHaveCount(0);
  await viaProxy(ui.web.proxyPort, `${ui.origin.url}/app.css`);
  await expect(dataRows(page)).toHaveCount(1);

  const choosing = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Open capture…' }).click();
  await (await choosing).setFiles(capturePath);
  const confirm = page.getByRole('alertdialog', { name: 'Confirm open capture' });
  await expect(confirm).toContainText('archived');
  await confirm.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(result(page)).toContainText('Opened 2 exchanges.');
  await expect(result(page)).toContainText('The previous session was archived to');
  await expect(dataRows(page)).toHaveCount(2);
  await expect(dataRows(page).filter({ hasText: '/app.css' })).toHaveCount(0);

  await dataRows(page).filter({ hasText: '/api/users' }).click();
  const response = page.getByRole('region', { name: 'Response' });
  await expect(response).toContainText('Linus');
});

test('Export HAR of the selected exchanges downloads exactly those', async ({ page }) => {
  await openUi(page, ui.web.uiUrl);
  await viaProxy(ui.web.proxyPort, `${ui.origin.url}/app.css`);
  await expect(dataRows(page)).toHaveCount(3);
  await dataRows(page).filter({ hasText: '/index.html' }).click();
  await dataRows(page)
    .filter({ hasText: '/app.css' })
    .click({ modifiers: ['ControlOrMeta'] });

  const dialog = page.getByRole('dialog', { name: 'Export HAR' });
  await page.getByRole('button', { name: 'Export HAR…' }).click();
  await expect(dialog.getByLabel('Selected (2)')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await page.getByRole('button', { name: 'Export HAR…' }).click();
  await expect(dialog.getByLabel('All exchanges (3)')).toBeVisible();
  await expect(dialog.getByLabel('Filtered (no filter)')).toBeDisabled();
  await expect(dialog.getByLabel('Selected (2)')).toBeChecked();
  const downloading = page.waitForEvent('download');
  await dialog.getByRole('button', { name: 'Export', exact: true }).click();
  const download = await downloading;
  const har = JSON.parse(await readFile((await download.path())!, 'utf8')) as {
    log: { entries: Array<{ request: { url: string } }> };
  };
  expect(har.log.entries.map((e) => e.request.url)).toEqual([
    `${ui.origin.url}/index.html`,
    `${ui.origin.url}/app.css`,
  ]);
  await expect(result(page)).toContainText('Exported 2 exchanges as HAR.');
});

test('Import HAR of thousands of entries shows progress and can be cancelled', async ({
  page,
}, testInfo) => {
  const harPath = testInfo.outputPath('big.har');
  await writeFile(harPath, generateHar(30_000));
  await openUi(page, ui.web.uiUrl);
  await expect(exchangeCount(page)).toHaveText('3 exchanges');

  await page.locator('input[aria-label="HAR file to import"]').setInputFiles(harPath);
  const importing = page.getByRole('progressbar', { name: 'Import of big.har: Importing' });
  await expect(importing).toBeVisible({ timeout: 60_000 });
  await page.getByRole('button', { name: 'Cancel', exact: true }).click();

  await expect(result(page)).toContainText('Import of big.har cancelled after', {
    timeout: 60_000,
  });
  const text = (await result(page).textContent()) ?? '';
  const kept = /the ([\d,]+) exchanges? imported so far were kept/.exec(text);
  expect(kept, text).not.toBeNull();
  const n = Number(kept![1]!.replace(/,/g, ''));
  expect(n).toBeGreaterThan(0);
  expect(n).toBeLessThan(30_000);
  expect(text).toContain('of 30,000 entries');
  // The list holds exactly what the message says was kept (plus the 3 from before).
  await expect(exchangeCount(page)).toHaveText(`${n + 3} exchanges`);
  await expect(page.getByRole('progressbar')).toHaveCount(0);
});

test('a .har dropped on the window is imported; skipped entries are listed with why', async ({
  page,
}) => {
  await openUi(page, ui.web.uiUrl);
  const har = JSON.parse(generateHar(2, { host: 'dropped.test' })) as {
    log: { entries: Array<Record<string, unknown>> };
  };
  har.log.entries.push({ startedDateTime: 'x', request: { method: 'GET' }, response: {} });
  const text = JSON.stringify(har);
  const dataTransfer = await page.evaluateHandle((content) => {
    // The page's DataTransfer and File (this file is type-checked without the DOM lib).
    const page = globalThis as unknown as {
      DataTransfer: new () => { items: { add(file: unknown): void } };
      File: new (parts: string[], name: string, options: { type: string }) => unknown;
    };
    const dt = new page.DataTransfer();
    dt.items.add(new page.File([content], 'dropped.har', { type: 'application/json' }));
    return dt;
  }, text);
  await page.dispatchEvent('.app', 'dragover', { dataTransfer });
  await expect(page.getByText('Drop a .har file to import it')).toBeVisible();
  await page.dispatchEvent('.app', 'drop', { dataTransfer });
  await expect(result(page)).toContainText(
    'Imported 2 exchanges from dropped.har; skipped 1 entry.',
  );
  await page.getByText('1 details').click();
  await expect(page.locator('.job-outcome li')).toContainText('entry 2');
  await expect(dataRows(page).filter({ hasText: 'dropped.test' })).toHaveCount(2);
});
