/** Page helpers shared by the UI specs: open the token link and wait for the first snapshot. */
import { expect, type Page } from '@playwright/test';

/** Opens the UI and waits on its ready marker (never on a sleep). */
export async function openUi(page: Page, uiUrl: string): Promise<void> {
  await page.goto(uiUrl);
  await expect(page.locator('[data-ready="true"]')).toBeVisible({ timeout: 30_000 });
}

/** The data rows of the "Exchanges" grid (the header row excluded). */
export const dataRows = (page: Page) =>
  page
    .getByRole('grid', { name: 'Exchanges' })
    .locator('[role="rowgroup"]')
    .last()
    .getByRole('row');
