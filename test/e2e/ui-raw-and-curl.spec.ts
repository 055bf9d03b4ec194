/**
 * The Raw view shows the head bytes exactly as recorded (odd spacing and case kept), and
 * traffic moves in and out: Copy as cURL, Import from cURL into the composer and Send,
 * Export HAR as a download, Import HAR of that file — all against the real `wirelens web`.
 */
import { readFile } from 'node:fs/promises';
import { expect as baseExpect, test } from '@playwright/test';
import { rawExchange, startHttpOrigin, type HttpOrigin } from '../support/origin-server';
import { startWirelensWeb, type WirelensWeb } from './ui-web-harness';
import { dataRows, openUi } from './ui-page';
import { expectRawText } from './raw-editor';

// A loaded 2-core machine: every UI expectation gets room (they wait on events, not time).
const expect = baseExpect.configure({ timeout: 15_000 });

let web: WirelensWeb;
let origin: HttpOrigin;
let harPath = '';

test.describe.configure({ mode: 'serial', timeout: 120_000 });

test.beforeAll(async () => {
  origin = await startHttpOrigin((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = `echo ${req.method} ${req.url} ${req.headers['x-from'] ?? '-'} ${Buffer.concat(chunks).toString()}`;
      res.writeHead(200, {
        'Content-Type': 'text/plain',
        'Content-Length': Buffer.byteLength(body),
      });
      res.end(body);
    });
  });
  web = await startWirelensWeb();
});

test.afterAll(async () => {
  await web?.stop();
  await origin?.close();
});

test('the Raw tab and the raw header toggle show the head bytes as sent', async ({ page }) => {
  await openUi(page, web.uiUrl);
  const head =
    `POST ${origin.url}/odd?q=1 HTTP/1.1\r\nHost: 127.0.0.1:${origin.port}\r\n` +
    'X-Odd:   spaced  \r\nx-MiXeD-cAsE:v\r\nContent-Length: 4\r\nConnection: close\r\n\r\n';
  const answer = await rawExchange(web.proxyPort, head + 'ping', { timeoutMs: 30_000 });
  expect(answer.text).toContain('echo POST /odd?q=1');

  const row = dataRows(page).filter({ hasText: '/odd?q=1' });
  await expect(row).toHaveCount(1, { timeout: 45_000 });
  await row.click();

  // The toggle: the header block exactly, spacing and case as on the wire.
  const request = page.getByRole('region', { name: 'Request' });
  await request
    .getByRole('region', { name: 'Headers' })
    .getByRole('button', { name: 'Raw' })
    .click();
  const block = request.getByLabel('Raw header block');
  await expect(block).toContainText('X-Odd:   spaced  ↵');
  await expect(block).toContainText('x-MiXeD-cAsE:v↵');
  await expect(request).not.toContainText('shown here as');

  await page.getByRole('tab', { name: 'Raw' }).click();
  const raw = page.getByRole('region', { name: 'Raw request' });
  await expect(raw.locator('.raw-start')).toContainText(`POST ${origin.url}/odd?q=1 HTTP/1.1↵`);
  const expectedBlock = head.slice(head.indexOf('\r\n') + 2).replace(/\r\n/g, '↵\n');
  await expect(raw.locator('.raw-headers-block pre')).toHaveText(expectedBlock);
  await expect(raw.locator('.raw-body')).toContainText('ping');
  await expect(raw).not.toContainText('rebuilt');
});

test('Copy as cURL shows the command; Import from cURL fills the composer and Send works', async ({
  page,
}) => {
  await openUi(page, web.uiUrl);
  await dataRows(page).filter({ hasText: '/odd?q=1' }).first().click();
  await page.getByRole('button', { name: 'Copy as cURL' }).click();
  const dialog = page.getByRole('dialog', { name: 'cURL command' });
  const command = dialog.getByRole('textbox', { name: 'cURL command' });
  await expect(command).toHaveValue(new RegExp(`${origin.url}/odd\\?q=1`.replace(/\./g, '\\.')));
  await dialog.getByRole('button', { name: 'Close' }).click();

  await page.getByRole('button', { name: 'New request' }).click();
  const composer = page.getByRole('region', { name: 'Composer' });
  await composer.getByText('Import from cURL').click();
  await composer
    .getByRole('textbox', { name: 'cURL command' })
    .fill(`curl -H 'X-From: curl-import' --data-binary 'a=1' '${origin.url}/from-curl'`);
  await composer.getByRole('button', { name: 'Import' }).click();
  const rawRequest = composer.getByRole('textbox', { name: 'Raw request' });
  await expectRawText(rawRequest, /^POST \/from-curl HTTP\/1\.1\n/);
  await expectRawText(rawRequest, /\nX-From: curl-import\n/);
  await expect(composer.getByLabel('Target host')).toHaveValue('127.0.0.1');
  await expect(composer.getByLabel('Target port')).toHaveValue(String(origin.port));

  await composer.getByRole('button', { name: 'Send' }).click();
  const body = composer
    .getByRole('region', { name: 'Response' })
    .getByRole('region', { name: 'Body' });
  await expect(body).toContainText('echo POST /from-curl curl-import a=1', { timeout: 45_000 });
  await expect(dataRows(page).filter({ hasText: 'composer' })).toHaveCount(1, { timeout: 45_000 });
});

test('Export HAR downloads the log; Import HAR of it adds rows with source import', async ({
  page,
}, testInfo) => {
  await openUi(page, web.uiUrl);
  await expect(dataRows(page)).toHaveCount(2, { timeout: 45_000 });
  await page.getByRole('button', { name: 'Export HAR…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Export HAR' });
  await dialog.getByLabel('All exchanges').check();
  const downloading = page.waitForEvent('download');
  await dialog.getByRole('button', { name: 'Export', exact: true }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/\.har$/);
  harPath = testInfo.outputPath('export.har');
  await download.saveAs(harPath);
  const har = JSON.parse(await readFile(harPath, 'utf8')) as {
    log: { entries: Array<{ request: { url: string } }> };
  };
  expect(har.log.entries.map((e) => e.request.url).sort()).toEqual([
    `${origin.url}/from-curl`,
    `${origin.url}/odd?q=1`,
  ]);
  await expect(page.getByRole('status', { name: 'Transfer result' })).toContainText(
    'Exported 2 exchanges',
  );

  await page.locator('input[aria-label="HAR file to import"]').setInputFiles(harPath);
  await expect(page.getByRole('status', { name: 'Transfer result' })).toContainText(
    'Imported 2 exchanges from export.har.',
  );
  const imported = dataRows(page).filter({ hasText: 'import' });
  await expect(imported).toHaveCount(2, { timeout: 45_000 });
  await expect(imported.filter({ hasText: '/odd?q=1' })).toHaveCount(1);
});
