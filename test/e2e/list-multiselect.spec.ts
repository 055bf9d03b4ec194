/**
 * Multi-select in the exchange list (for "Export selected"), against the real `wirelens web`
 * with traffic through its proxy: Ctrl/Cmd+click, Shift+click, Shift+arrows, Ctrl/Cmd+A over
 * the filtered rows, Escape; the detail view follows the focused (last clicked) row.
 */
import { expect as baseExpect, test, type Page } from '@playwright/test';
import { runCurl } from '../support/origin-server';
import { dataRows, openUi, serveSampleUi } from './ui-page';

// A loaded 2-core machine: every UI expectation gets room (they wait on events, not time).
const expect = baseExpect.configure({ timeout: 15_000 });
const ui = serveSampleUi();

test.beforeAll(async () => {
  // /item1 … /item8, one curl run through the proxy.
  const r = await runCurl(
    ['-x', `http://127.0.0.1:${ui.web.proxyPort}`, `${ui.origin.url}/item[1-8]`],
    {
      timeoutMs: 60_000,
    },
  );
  expect(r.code).toBe(0);
});

const row = (page: Page, n: number) => dataRows(page).filter({ hasText: `/item${n}` });
const requestLine = (page: Page) =>
  page.getByRole('region', { name: 'Request' }).getByRole('region', { name: 'Start line' });

/** The item numbers of the rows marked selected, in list order. */
async function selected(page: Page): Promise<number[]> {
  const paths = await dataRows(page)
    .and(page.locator('[aria-selected="true"]'))
    .locator('.path')
    .allTextContents();
  return paths.map((p) => Number(/item(\d+)/.exec(p)?.[1]));
}

test('click, Ctrl/Cmd+click, Shift+click, Shift+arrows, Ctrl/Cmd+A and Escape', async ({
  page,
}) => {
  await openUi(page, ui.web.uiUrl);
  await expect(dataRows(page)).toHaveCount(8, { timeout: 45_000 });
  const grid = page.getByRole('grid', { name: 'Exchanges' });
  await expect(grid).toHaveAttribute('aria-multiselectable', 'true');
  // Every row says whether it is selected, not only the selected ones.
  await expect(dataRows(page).and(page.locator('[aria-selected="false"]'))).toHaveCount(8);

  await row(page, 2).click();
  await expect.poll(() => selected(page)).toEqual([2]);

  // Ctrl/Cmd+click adds a row and shows it; again removes it, and the detail goes back.
  await row(page, 4).click({ modifiers: ['ControlOrMeta'] });
  await expect.poll(() => selected(page)).toEqual([2, 4]);
  await expect(requestLine(page)).toContainText('/item4');
  await row(page, 6).click({ modifiers: ['ControlOrMeta'] });
  await expect.poll(() => selected(page)).toEqual([2, 4, 6]);
  await row(page, 6).click({ modifiers: ['ControlOrMeta'] });
  await expect.poll(() => selected(page)).toEqual([2, 4]);
  await expect(requestLine(page)).toContainText('/item4');

  // Shift+click: the range from the last plain click.
  await row(page, 3).click();
  await row(page, 6).click({ modifiers: ['Shift'] });
  await expect.poll(() => selected(page)).toEqual([3, 4, 5, 6]);
  await expect(requestLine(page)).toContainText('/item6');

  // Shift+arrows move the focused end of the range.
  await page.keyboard.press('Shift+ArrowDown');
  await expect.poll(() => selected(page)).toEqual([3, 4, 5, 6, 7]);
  await expect(requestLine(page)).toContainText('/item7');
  await page.keyboard.press('Shift+ArrowUp');
  await page.keyboard.press('Shift+ArrowUp');
  await page.keyboard.press('Shift+ArrowUp');
  await expect.poll(() => selected(page)).toEqual([3, 4]);

  // Escape: back to the focused row alone.
  await page.keyboard.press('Escape');
  await expect.poll(() => selected(page)).toEqual([4]);
  await expect(requestLine(page)).toContainText('/item4');

  // Ctrl/Cmd+A: all rows.
  await grid.focus();
  await page.keyboard.press('ControlOrMeta+a');
  await expect.poll(() => selected(page)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  await expect(requestLine(page)).toContainText('/item4');
  // A plain click is a single selection again.
  await row(page, 8).click();
  await expect.poll(() => selected(page)).toEqual([8]);
});

test('Ctrl/Cmd+A selects only the rows the filter shows', async ({ page }) => {
  await openUi(page, ui.web.uiUrl);
  await expect(dataRows(page)).toHaveCount(8, { timeout: 45_000 });
  await page.getByRole('textbox', { name: 'Filter' }).fill('item1');
  await expect(dataRows(page)).toHaveCount(1);
  const grid = page.getByRole('grid', { name: 'Exchanges' });
  await grid.focus();
  await page.keyboard.press('ControlOrMeta+a');
  await expect.poll(() => selected(page)).toEqual([1]);
  // Clearing the filter shows the other rows unselected.
  await page.getByRole('textbox', { name: 'Filter' }).fill('');
  await expect(dataRows(page)).toHaveCount(8);
  await expect.poll(() => selected(page)).toEqual([1]);
});
