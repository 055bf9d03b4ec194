/**
 * The composer's raw editor (CodeMirror) keeps the request exact: a request typed with a
 * deliberately bare LF on one head line, a tab and a trailing space reaches a raw recorder
 * byte for byte with "Send exactly as typed"; the structured editor follows raw edits and
 * a structured edit keeps the bare LF. Against the real `wirelens web`.
 */
import { expect as baseExpect, test, type Locator, type Page } from '@playwright/test';
import { startRawRecorder, type RawRecorder } from '../support/raw-recorder';
import { startWirelensWeb, type WirelensWeb } from './ui-web-harness';
import { openUi } from './ui-page';
import { expectRawText } from './raw-editor';

const expect = baseExpect.configure({ timeout: 15_000 });

let web: WirelensWeb;
let recorder: RawRecorder;

test.describe.configure({ mode: 'serial', timeout: 120_000 });

test.beforeAll(async () => {
  recorder = await startRawRecorder();
  web = await startWirelensWeb();
});

test.afterAll(async () => {
  await web?.stop();
  await recorder?.close();
});

/** A new composer tab aimed at the recorder, with `text` typed into the raw editor. */
async function newRequest(page: Page, text: string): Promise<{ composer: Locator; raw: Locator }> {
  await openUi(page, web.uiUrl);
  await page.getByRole('button', { name: 'New request' }).click();
  const composer = page.getByRole('region', { name: 'Composer' });
  const raw = composer.getByRole('textbox', { name: 'Raw request' });
  await raw.fill(text);
  await composer.getByLabel('Target host').fill('127.0.0.1');
  await composer.getByLabel('Target port').fill(String(recorder.port));
  return { composer, raw };
}

/** "Send exactly as typed", with the CRs that repair would add written into the head. */
async function exactWithCrlf(composer: Locator): Promise<void> {
  await composer.getByText('Send exactly as typed').click();
  await composer.getByRole('button', { name: 'CR LF on every head line' }).click();
}

test('a request with a bare LF, a tab and odd spacing is sent exactly as typed', async ({
  page,
}) => {
  const { composer, raw } = await newRequest(
    page,
    'POST /exact HTTP/1.1\nHost: 127.0.0.1\nX-Bare: lf\nX-Tab:\tv \nContent-Length: 3\n\nabc',
  );
  await expectRawText(raw, /^POST \/exact HTTP\/1\.1\nHost: 127\.0\.0\.1\n/);
  // The start line is highlighted in its three parts, and the head's end is marked.
  await expect(raw.locator('.tok-method')).toHaveText('POST');
  await expect(raw.locator('.tok-target')).toHaveText('/exact');
  await expect(raw.locator('.tok-version')).toHaveText('HTTP/1.1');
  await expect(raw.locator('.tok-header-name')).toHaveText([
    'Host',
    'X-Bare',
    'X-Tab',
    'Content-Length',
  ]);
  await expect(raw.locator('.cm-http-blank')).toHaveCount(1);

  // Raw → structured.
  await expect(composer.getByRole('textbox', { name: 'Header 2 name' })).toHaveValue('X-Bare');
  await expect(composer.getByRole('textbox', { name: 'Body text' })).toHaveValue('abc');

  await exactWithCrlf(composer);
  await expect(raw.locator('.cm-specialChar', { hasText: '␍' })).toHaveCount(6);

  // Take the CR off the third line: End puts the cursor after it, Backspace removes it.
  await raw.click();
  await page.keyboard.press('Control+Home');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('End');
  await page.keyboard.press('Backspace');
  await expect(raw.locator('.cm-http-bare-lf')).toHaveCount(1);
  await expect(raw.locator('.cm-http-bare-lf')).toHaveText('X-Bare: lf');
  await expect(composer.getByRole('list', { name: 'Warnings' })).toContainText(
    '1 head lines end with a bare LF',
  );

  // Structured → raw: an edited value; the bare LF and the untouched odd lines stay.
  await composer.getByRole('textbox', { name: 'Header 2 value' }).fill('lf2');
  await expect(raw.locator('.cm-http-bare-lf')).toHaveText('X-Bare: lf2');

  await composer.getByRole('button', { name: 'Send' }).click();
  const bytes = Buffer.from(await recorder.nextRequest()).toString('latin1');
  expect(bytes).toBe(
    'POST /exact HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Bare: lf2\nX-Tab:\tv \r\nContent-Length: 3\r\n\r\nabc',
  );
  await expect(
    composer.getByRole('region', { name: 'Response' }).getByRole('region', { name: 'Start line' }),
  ).toContainText('HTTP/1.1 200 OK', { timeout: 45_000 });
});

test('Enter continues CR LF lines, Shift+Enter adds a bare LF, Ctrl+Enter sends', async ({
  page,
}) => {
  const { composer, raw } = await newRequest(page, 'GET /typed HTTP/1.1\nHost: 127.0.0.1');
  await exactWithCrlf(composer);
  await raw.click();
  await page.keyboard.press('Control+End');
  await page.keyboard.press('Enter');
  await page.keyboard.type('X-A: 1');
  await page.keyboard.press('Shift+Enter');
  await page.keyboard.type('X-B: 2');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  // Ctrl+Enter in the editor sends (it is not the editor's "insert blank line").
  await page.keyboard.press('Control+Enter');
  const bytes = Buffer.from(await recorder.nextRequest()).toString('latin1');
  expect(bytes).toBe('GET /typed HTTP/1.1\r\nHost: 127.0.0.1\r\nX-A: 1\nX-B: 2\r\n\r\n');

  // Each composer tab has its own document: a new tab, then back to this one.
  await page.getByRole('button', { name: 'New request', exact: true }).click();
  await expectRawText(raw, /^GET \/ HTTP\/1\.1\nHost: example\.com\n/);
  await composer.getByRole('tab', { name: 'New request' }).first().click();
  await expectRawText(raw, /^GET \/typed HTTP\/1\.1␍\nHost: 127\.0\.0\.1␍\nX-A: 1\nX-B: 2␍\n␍\n$/);
});
