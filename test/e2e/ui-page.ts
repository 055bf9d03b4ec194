/** Page helpers shared by the UI specs: open the token link and wait for the first snapshot. */
import { expect, test, type Page } from '@playwright/test';
import type { HttpOrigin } from '../support/origin-server';
import { startWirelensWeb, type WirelensWeb } from './ui-web-harness';
import { startSampleOrigin } from './ui-traffic';

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

/**
 * The usual setup of a UI spec: a sample origin and a real `wirelens web`, started once for
 * the file (serial tests) and stopped after it. Read them as `ui.web` / `ui.origin`.
 */
export function serveSampleUi(): { readonly web: WirelensWeb; readonly origin: HttpOrigin } {
  const started: { web?: WirelensWeb; origin?: HttpOrigin } = {};
  test.describe.configure({ mode: 'serial', timeout: 120_000 });
  test.beforeAll(async () => {
    started.origin = await startSampleOrigin();
    started.web = await startWirelensWeb();
  });
  test.afterAll(async () => {
    await started.web?.stop();
    await started.origin?.close();
  });
  return {
    get web() {
      return started.web as WirelensWeb;
    },
    get origin() {
      return started.origin as HttpOrigin;
    },
  };
}
