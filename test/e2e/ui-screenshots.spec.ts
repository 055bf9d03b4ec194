/**
 * Screenshots of the main screens (Debian Chromium, real `wirelens web`). Each one also
 * checks that the screen shows what it is meant to. `npm test` writes them under
 * test-results/ so a test run leaves the checkout clean; `npm run screenshots`
 * (WIRELENS_UPDATE_SCREENSHOTS=1) writes them into docs/screenshots.
 */
import { expect as baseExpect, test } from '@playwright/test';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { rawExchange, type HttpOrigin } from '../support/origin-server';
import { startWirelensWeb, type WirelensWeb } from './ui-web-harness';
import { sendSampleTraffic, startSampleOrigin, viaProxy } from './ui-traffic';
import { openUi, dataRows } from './ui-page';

// A loaded 2-core machine: every UI expectation gets room (they wait on events, not time).
const expect = baseExpect.configure({ timeout: 15_000 });

const SHOTS = process.env.WIRELENS_UPDATE_SCREENSHOTS
  ? fileURLToPath(new URL('../../docs/screenshots/', import.meta.url))
  : path.resolve('test-results/screenshots') + path.sep;
let web: WirelensWeb;
let origin: HttpOrigin;

test.describe.configure({ mode: 'serial', timeout: 120_000 });
test.use({ viewport: { width: 1440, height: 900 } });

test.beforeAll(async () => {
  origin = await startSampleOrigin();
  web = await startWirelensWeb();
});
test.afterAll(async () => {
  await web?.stop();
  await origin?.close();
});

test('empty state', async ({ page }) => {
  await openUi(page, web.uiUrl);
  await expect(page.getByText('No traffic yet.')).toBeVisible();
  await page.screenshot({ path: `${SHOTS}empty-state.png` });
});

test('list and message view, light and dark', async ({ page }) => {
  await sendSampleTraffic(web.proxyPort, origin);
  // An upstream that refuses the connection: a failed exchange.
  await viaProxy(web.proxyPort, 'http://127.0.0.1:9/unreachable');
  // A malformed request (space in a header name).
  await rawExchange(
    web.proxyPort,
    `GET ${origin.url}/bad HTTP/1.1\r\nHost: 127.0.0.1:${origin.port}\r\nBad Header: x\r\n\r\n`,
    {
      until: (b) => b.includes('\r\n\r\n'),
    },
  );
  await openUi(page, web.uiUrl);
  await expect(dataRows(page)).toHaveCount(8, { timeout: 45_000 });
  await dataRows(page).filter({ hasText: '/api/users' }).click();
  await expect(
    page.getByRole('region', { name: 'Response' }).getByRole('region', { name: 'Body' }),
  ).toContainText('Ada');
  await page.screenshot({ path: `${SHOTS}inspector-json.png` });

  await dataRows(page).filter({ hasText: '/index.html' }).click();
  await expect(page.locator('.tok-tag').first()).toBeVisible();
  await page.screenshot({ path: `${SHOTS}inspector-html-source.png` });

  await page.getByRole('tab', { name: 'Raw' }).click();
  await expect(page.getByRole('region', { name: 'Raw response' })).toContainText('header block');
  await page.screenshot({ path: `${SHOTS}raw-tab.png` });

  await page.getByRole('tab', { name: 'Timing' }).click();
  await expect(page.getByRole('table', { name: 'Timing phases' })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}timing.png` });

  await page.getByRole('tab', { name: 'Message' }).click();
  await dataRows(page).filter({ hasText: '/unreachable' }).click();
  await expect(
    page.getByRole('region', { name: 'Response' }).getByRole('alert').first(),
  ).toBeVisible();
  await page.screenshot({ path: `${SHOTS}failed-exchange.png` });

  await page.emulateMedia({ colorScheme: 'dark' });
  await dataRows(page).filter({ hasText: '/logo.png' }).click();
  await expect(page.getByAltText('Image body preview')).toBeVisible();
  await page.screenshot({ path: `${SHOTS}inspector-dark.png` });
});

test('composer', async ({ page }) => {
  await openUi(page, web.uiUrl);
  await dataRows(page).filter({ hasText: '/login' }).click();
  await page.getByRole('button', { name: 'Edit and resend' }).click();
  const composer = page.getByRole('region', { name: 'Composer' });
  await composer.getByRole('button', { name: 'Send' }).click();
  await expect(composer.getByRole('region', { name: 'Response' })).toContainText('302', {
    timeout: 45_000,
  });
  // The raw editor highlights the request (start line parts, header names).
  const raw = composer.getByRole('textbox', { name: 'Raw request' });
  await expect(raw.locator('.tok-method')).toHaveText('POST');
  await page.screenshot({ path: `${SHOTS}composer.png` });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: `${SHOTS}composer-dark.png` });
});
