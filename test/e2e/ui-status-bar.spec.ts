/** The status bar against the real `wirelens web`: proxy stop/start/port, CA info, layout memory. */
import { expect as baseExpect, test } from '@playwright/test';
import { runCurl } from '../support/origin-server';
import { openUi, serveSampleUi } from './ui-page';

// A loaded 2-core machine: every UI expectation gets room (they wait on events, not time).
const expect = baseExpect.configure({ timeout: 15_000 });

const ui = serveSampleUi();

test('stop the proxy, start it again on another port, and capture there', async ({ page }) => {
  await openUi(page, ui.web.uiUrl);
  const state = page.getByRole('status', { name: 'Proxy state' });
  await expect(state).toContainText(`listening on 127.0.0.1:${ui.web.proxyPort}`);

  await page.getByRole('button', { name: 'Stop proxy' }).click();
  await expect(state).toContainText('stopped');
  const refused = await runCurl(
    ['-x', `http://127.0.0.1:${ui.web.proxyPort}`, `${ui.origin.url}/app.css`],
    { timeoutMs: 10_000 },
  );
  expect(refused.code).not.toBe(0);

  // Port 0: any free port; the bar shows the real one.
  await page.getByRole('textbox', { name: 'Proxy port' }).fill('0');
  await page.getByRole('button', { name: 'Change port' }).click();
  await expect(state).toContainText('listening on 127.0.0.1:');
  const text = (await state.textContent()) ?? '';
  const port = Number(/127\.0\.0\.1:(\d+)/.exec(text)?.[1]);
  expect(port).toBeGreaterThan(0);

  const ok = await runCurl([
    '-x',
    `http://127.0.0.1:${port}`,
    '-o',
    '/dev/null',
    `${ui.origin.url}/app.css`,
  ]);
  expect(ok.code).toBe(0);
  await expect(
    page.getByRole('grid', { name: 'Exchanges' }).getByRole('row').filter({ hasText: '/app.css' }),
  ).toHaveCount(1, {
    timeout: 45_000,
  });
  await expect(page.getByLabel('Exchange count')).toContainText('1 exchange');
});

test('a bad port is refused in words', async ({ page }) => {
  await openUi(page, ui.web.uiUrl);
  await page.getByRole('textbox', { name: 'Proxy port' }).fill('70000');
  await page.getByRole('button', { name: 'Change port' }).click();
  await expect(page.getByText('"70000" is not a port number')).toBeVisible();
});

test('CA certificate: path, fingerprints and how to trust it', async ({ page }) => {
  await openUi(page, ui.web.uiUrl);
  await page.getByRole('button', { name: 'CA certificate' }).click();
  const dialog = page.getByRole('dialog', { name: 'CA certificate' });
  await expect(dialog).toContainText('SHA-256');
  await expect(dialog.locator('dd').nth(1)).toHaveText(/[0-9A-Fa-f:]{20,}/);
  await expect(dialog).toContainText('Open browser');
});

test('the layout is remembered between runs', async ({ page }) => {
  await openUi(page, ui.web.uiUrl);
  await page.getByRole('button', { name: 'New request' }).click();
  await expect(page.getByRole('region', { name: 'Composer' })).toBeVisible();
  await page.reload();
  await expect(page.locator('[data-ready="true"]')).toBeVisible();
  await expect(page.getByRole('tab', { name: 'Composer' })).toHaveAttribute(
    'aria-selected',
    'true',
  );
});
