/** The live list against the real `wirelens web`: follow newest, and no jumping while reading. */
import { expect as baseExpect, test, type Page } from '@playwright/test';
import { runCurl, type HttpOrigin } from '../support/origin-server';
import { startWirelensWeb, type WirelensWeb } from './ui-web-harness';
import { startSampleOrigin } from './ui-traffic';

// A loaded 2-core machine: every UI expectation gets room (they wait on events, not time).
const expect = baseExpect.configure({ timeout: 15_000 });

let web: WirelensWeb;
let origin: HttpOrigin;

test.describe.configure({ mode: 'serial', timeout: 150_000 });
test.use({ viewport: { width: 1280, height: 720 } });

test.beforeAll(async () => {
  origin = await startSampleOrigin();
  web = await startWirelensWeb();
});
test.afterAll(async () => {
  await web?.stop();
  await origin?.close();
});

const grid = (page: Page) => page.getByRole('grid', { name: 'Exchanges' });
const row = (page: Page, index: number) =>
  grid(page).locator(`[role="row"][aria-rowindex="${index + 1}"]`);

/** `count` requests in one curl run (URL globbing), through the proxy. */
async function burst(first: number, count: number): Promise<void> {
  const r = await runCurl(
    [
      '-x',
      `http://127.0.0.1:${web.proxyPort}`,
      `${origin.url}/item[${first}-${first + count - 1}]`,
    ],
    {
      timeoutMs: 60_000,
    },
  );
  expect(r.code).toBe(0);
}

test('follows the newest rows at the bottom, and stays put once the user scrolls up', async ({
  page,
}) => {
  await page.goto(web.uiUrl);
  await expect(page.locator('[data-ready="true"]')).toBeVisible({ timeout: 30_000 });

  await burst(1, 60);
  await expect(page.getByLabel('Exchange count')).toContainText('60 exchanges', {
    timeout: 30_000,
  });
  // Following: the newest row is in view, the first is not (virtualized away).
  await expect(row(page, 60)).toBeInViewport();
  await expect(row(page, 1)).toHaveCount(0);

  // The user scrolls to the top to read: new rows must not move what they look at.
  await grid(page).evaluate((el) => (el.scrollTop = 0));
  await expect(row(page, 1)).toBeInViewport();
  const follow = page.getByRole('button', { name: /Follow newest/ });
  await expect(follow).toBeVisible();
  await burst(61, 20);
  await expect(page.getByLabel('Exchange count')).toContainText('80 exchanges', {
    timeout: 30_000,
  });
  await expect(row(page, 1)).toBeInViewport();
  expect(await grid(page).evaluate((el) => el.scrollTop)).toBe(0);

  // Back to following.
  await follow.click();
  await expect(row(page, 80)).toBeInViewport();
  await burst(81, 10);
  await expect(row(page, 90)).toBeInViewport({ timeout: 30_000 });
});

test('a selected row keeps its place while new rows arrive', async ({ page }) => {
  await page.goto(web.uiUrl);
  await expect(page.locator('[data-ready="true"]')).toBeVisible({ timeout: 30_000 });
  await expect(row(page, 90)).toBeInViewport({ timeout: 30_000 });
  const selected = row(page, 85);
  await selected.click();
  await expect(selected).toHaveAttribute('aria-selected', 'true');
  const before = await selected.boundingBox();
  await burst(91, 20);
  await expect(page.getByLabel('Exchange count')).toContainText('110 exchanges', {
    timeout: 30_000,
  });
  const after = await selected.boundingBox();
  expect(after?.y).toBe(before?.y);
  await expect(selected).toContainText('/item85');
});
