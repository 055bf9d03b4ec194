/** Filter terms (server snapshot and live rows) and keyboard use, against the real `wirelens web`. */
import { expect as baseExpect, test, type Page } from '@playwright/test';
import type { HttpOrigin } from '../support/origin-server';
import { startWirelensWeb, type WirelensWeb } from './ui-web-harness';
import { sendSampleTraffic, startSampleOrigin, viaProxy } from './ui-traffic';
import { openUi, dataRows } from './ui-page';

// A loaded 2-core machine: every UI expectation gets room (they wait on events, not time).
const expect = baseExpect.configure({ timeout: 15_000 });

let web: WirelensWeb;
let origin: HttpOrigin;

test.describe.configure({ mode: 'serial', timeout: 120_000 });

test.beforeAll(async () => {
  origin = await startSampleOrigin();
  web = await startWirelensWeb();
  // /index.html /app.css /logo.png /api/users (127.0.0.1), POST /login (localhost), /missing → 404
  await sendSampleTraffic(web.proxyPort, origin);
});
test.afterAll(async () => {
  await web?.stop();
  await origin?.close();
});

const paths = async (page: Page) =>
  (await dataRows(page).locator('.path').allTextContents()).sort();

async function openWithRows(page: Page, rows: number): Promise<void> {
  await openUi(page, web.uiUrl);
  await expect(dataRows(page)).toHaveCount(rows, { timeout: 45_000 });
}

test('field terms, free text and exclusion filter the list', async ({ page }) => {
  await openWithRows(page, 6);
  const filter = page.getByRole('textbox', { name: 'Filter' });

  await filter.fill('method:POST');
  await expect(dataRows(page)).toHaveCount(1);
  await expect(dataRows(page)).toContainText('/login');

  await filter.fill('status:4xx');
  await expect(dataRows(page)).toHaveCount(1);
  await expect(dataRows(page)).toContainText('/missing');

  await filter.fill('-host:localhost');
  await expect(dataRows(page)).toHaveCount(5);
  expect(await paths(page)).not.toContain('/login');

  await filter.fill('users');
  await expect(dataRows(page)).toHaveCount(1);
  await expect(dataRows(page)).toContainText('/api/users?page=1');

  // Live rows obey the active filter too.
  await filter.fill('method:POST');
  await expect(dataRows(page)).toHaveCount(1);
  await viaProxy(web.proxyPort, `${origin.url}/live-get`);
  await viaProxy(web.proxyPort, `${origin.url}/live-post`, ['--data-binary', 'x=1']);
  await expect(dataRows(page)).toHaveCount(2, { timeout: 45_000 });
  await expect(dataRows(page).filter({ hasText: '/live-post' })).toHaveCount(1);
  await expect(dataRows(page).filter({ hasText: '/live-get' })).toHaveCount(0);

  await filter.fill('');
  await expect(dataRows(page)).toHaveCount(8);
});

test('keyboard: / focuses the filter, arrows move, Enter opens, Ctrl+R resends', async ({
  page,
}) => {
  await openWithRows(page, 8);
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('/');
  await expect(page.getByRole('textbox', { name: 'Filter' })).toBeFocused();
  await page.keyboard.press('Escape');

  const grid = page.getByRole('grid', { name: 'Exchanges' });
  await expect(grid).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(dataRows(page).first()).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  const third = dataRows(page).nth(2);
  await expect(third).toHaveAttribute('aria-selected', 'true');
  await expect(third).toContainText('/logo.png');
  await page.keyboard.press('ArrowUp');
  await expect(dataRows(page).nth(1)).toHaveAttribute('aria-selected', 'true');

  // Enter opens the selected exchange in the inspector even from the composer pane.
  await page.getByRole('tab', { name: 'Composer' }).click();
  await grid.focus();
  await page.keyboard.press('Enter');
  await expect(
    page.getByRole('region', { name: 'Request' }).getByRole('region', { name: 'Start line' }),
  ).toContainText('/app.css');

  await page.keyboard.press('Control+r');
  const composer = page.getByRole('region', { name: 'Composer' });
  await expect(
    composer.getByRole('region', { name: 'Response' }).getByRole('region', { name: 'Start line' }),
  ).toContainText('HTTP/1.1 200 OK', { timeout: 45_000 });
  await expect(dataRows(page).filter({ hasText: 'composer' })).toContainText('/app.css', {
    timeout: 45_000,
  });
});

test('Clear all asks first, then empties the list', async ({ page }) => {
  await openWithRows(page, 9);
  await page.getByRole('button', { name: 'Clear all' }).click();
  const confirm = page.getByRole('alertdialog', { name: 'Confirm clear' });
  await expect(confirm).toContainText('Delete all');
  await confirm.getByRole('button', { name: 'Keep them' }).click();
  await expect(dataRows(page)).not.toHaveCount(0);

  await page.getByRole('button', { name: 'Clear all' }).click();
  await page
    .getByRole('alertdialog', { name: 'Confirm clear' })
    .getByRole('button', { name: 'Delete all' })
    .click();
  await expect(dataRows(page)).toHaveCount(0);
  await expect(page.getByText('No traffic yet.')).toBeVisible();
  await page.reload();
  await expect(page.locator('[data-ready="true"]')).toBeVisible();
  await expect(dataRows(page)).toHaveCount(0);
});
