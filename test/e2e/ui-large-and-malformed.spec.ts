/** A 5 MB body, a malformed request and a failed upstream, shown in the real `wirelens web`. */
import { expect as baseExpect, test } from '@playwright/test';
import { rawExchange } from '../support/origin-server';
import { viaProxy } from './ui-traffic';
import { openUi, dataRows, serveSampleUi } from './ui-page';

// A loaded 2-core machine: every UI expectation gets room (they wait on events, not time).
const expect = baseExpect.configure({ timeout: 15_000 });

const ui = serveSampleUi();

test('a 5 MB body loads in slices with progress, stays usable and shows in pieces', async ({
  page,
}) => {
  const size = 5 * 1024 * 1024;
  await viaProxy(ui.web.proxyPort, `${ui.origin.url}/big?bytes=${size}`);
  await viaProxy(ui.web.proxyPort, `${ui.origin.url}/small`);
  await openUi(page, ui.web.uiUrl);
  // Count the readBody calls the page makes (the WebSocket frames it sends).
  const reads: number[] = [];
  page.on('websocket', (ws) =>
    ws.on('framesent', (f) => {
      if (typeof f.payload === 'string' && f.payload.includes('"readBody"')) reads.push(Date.now());
    }),
  );
  await page.reload();
  await expect(page.locator('[data-ready="true"]')).toBeVisible({ timeout: 30_000 });

  await dataRows(page).filter({ hasText: '/big' }).click();
  const body = page.getByRole('region', { name: 'Response' }).getByRole('region', { name: 'Body' });
  await expect(body.locator('.body-text')).toContainText('The quick brown fox', {
    timeout: 60_000,
  });
  await expect(body).toContainText('5.0 MB');
  // Several slices were asked for, not one 5 MB message.
  expect(reads.length).toBeGreaterThanOrEqual(5);
  // The window lays out a piece of the text, with a way to see more.
  const shownChars = await body.locator('.body-text').evaluate((el) => el.textContent?.length ?? 0);
  expect(shownChars).toBeLessThan(size / 4);
  await expect(body.getByRole('button', { name: /Show more/ })).toBeVisible();
  await body.getByRole('button', { name: /Show more/ }).click();
  const more = await body.locator('.body-text').evaluate((el) => el.textContent?.length ?? 0);
  expect(more).toBeGreaterThan(shownChars);

  // Still responsive: keyboard selection moves on to the next exchange.
  await page.getByRole('grid', { name: 'Exchanges' }).focus();
  await page.keyboard.press('ArrowDown');
  await expect(
    page.getByRole('region', { name: 'Request' }).getByRole('region', { name: 'Start line' }),
  ).toContainText('/small');
});

test('a malformed captured request is listed as such and its error is shown in words', async ({
  page,
}) => {
  const answer = await rawExchange(
    ui.web.proxyPort,
    `GET ${ui.origin.url}/malformed HTTP/1.1\r\nHost: 127.0.0.1:${ui.origin.port}\r\nBad Header: x\r\n\r\n`,
    { until: (b) => b.includes('\r\n\r\n') },
  );
  expect(answer.text).toMatch(/^HTTP\/1\.1 4\d\d /);
  await openUi(page, ui.web.uiUrl);
  const row = dataRows(page).filter({ hasText: '/malformed' });
  await expect(row).toHaveCount(1, { timeout: 45_000 });
  // Not colour alone: an icon and a word.
  await expect(row.locator('.status')).toContainText(/failed|malformed/);
  await expect(row.locator('.status .icon')).not.toBeEmpty();
  await row.click();
  const problems = page
    .getByRole('region', { name: 'Request' })
    .or(page.getByRole('region', { name: 'Response' }));
  await expect(problems.getByRole('alert').first()).toContainText(/CLIENT_PARSE_ERROR|header/i);
  const request = page.getByRole('region', { name: 'Request' });
  await expect(request.getByRole('alert').first()).toContainText(
    'invalid character in header name',
  );
  // Why the message has no end: the parse problem, not a closed connection.
  await expect(request).toContainText('reading stopped at a parse problem above');
  // What could not be parsed is still shown, byte for byte.
  await expect(request.getByRole('region', { name: 'Body' })).toContainText('Bad Header: x');
});

test('a failed upstream shows the error in the tooltip and the detail view', async ({ page }) => {
  await viaProxy(ui.web.proxyPort, 'http://127.0.0.1:9/nobody-home');
  await openUi(page, ui.web.uiUrl);
  const row = dataRows(page).filter({ hasText: '/nobody-home' });
  await expect(row).toHaveCount(1, { timeout: 45_000 });
  await expect(row.locator('.status')).toContainText('failed');
  await expect(row).toHaveAttribute('title', /UPSTREAM_CONNECT_FAILED/);
  await row.click();
  await expect(page.getByRole('region', { name: 'Response' }).getByRole('alert')).toContainText(
    'UPSTREAM_CONNECT_FAILED',
  );
});
