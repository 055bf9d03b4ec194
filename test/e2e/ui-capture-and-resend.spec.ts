/**
 * A new user's first minutes against the real `wirelens web`: open the token link, send
 * traffic through the proxy (curl and Chromium itself), see the rows, check the three
 * blocks of request and response, edit the request in the composer and send it again.
 */
import { chromium, expect as baseExpect, test } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumPath } from '../support/chromium';
import { runCurl, startHttpOrigin, type HttpOrigin } from '../support/origin-server';
import { startWirelensWeb, type WirelensWeb } from './ui-web-harness';
import { dataRows, openUi } from './ui-page';
import { expectRawText, rawEditorText } from './raw-editor';

// A loaded 2-core machine: every UI expectation gets room (they wait on events, not time).
const expect = baseExpect.configure({ timeout: 15_000 });

let web: WirelensWeb;
let origin: HttpOrigin;

test.describe.configure({ mode: 'serial', timeout: 120_000 });

test.beforeAll(async () => {
  origin = await startHttpOrigin((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.url === '/page.html') {
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
        res.end(
          '<!doctype html><title>Page</title><script>document.title="ran"</script><h1>Hello page</h1>',
        );
        return;
      }
      const echo = {
        method: req.method,
        url: req.url,
        test: req.headers['x-test'] ?? null,
        body: Buffer.concat(chunks).toString(),
      };
      res.writeHead(201, 'Created Here', { 'Content-Type': 'application/json', 'X-Origin': 'yes' });
      res.end(JSON.stringify(echo));
    });
  });
  web = await startWirelensWeb();
});

test.afterAll(async () => {
  await web?.stop();
  await origin?.close();
});

test('a newcomer sees how to start, then captured curl traffic in three blocks', async ({
  page,
}) => {
  await openUi(page, web.uiUrl);
  await expect(
    page.getByText(`Point your browser's proxy at 127.0.0.1:${web.proxyPort}`),
  ).toBeVisible();

  const curl = await runCurl([
    '-x',
    `http://127.0.0.1:${web.proxyPort}`,
    '-H',
    'X-Test: one',
    '-H',
    'X-Dup: a',
    '-H',
    'X-Dup: b',
    '--data-binary',
    'hello=world',
    `${origin.url}/api/echo?x=1`,
  ]);
  expect(curl.code).toBe(0);
  expect(curl.stdout.toString()).toContain('"test":"one"');

  const row = dataRows(page).filter({ hasText: '/api/echo?x=1' });
  await expect(row).toHaveCount(1, { timeout: 45_000 });
  await expect(row).toContainText('POST');
  await expect(row).toContainText('201');
  await expect(row).toContainText('proxy');
  // A narrow cell is cut with an ellipsis; hovering it shows the whole value.
  await expect(row.locator('.host')).toHaveAttribute('title', origin.url);
  await row.click();

  const request = page.getByRole('region', { name: 'Request' });
  await expect(request.getByRole('region', { name: 'Start line' })).toContainText(
    `POST ${origin.url}/api/echo?x=1 HTTP/1.1`,
  );
  await expect(request.locator('[data-part="method"]')).toHaveText('POST');
  await expect(request.locator('[data-part="version"]')).toHaveText('HTTP/1.1');
  const reqHeaders = request.getByRole('region', { name: 'Headers' }).getByRole('row');
  const names = await reqHeaders.locator('th').allTextContents();
  // Original order, duplicates kept, as curl wrote them.
  expect(names.filter((n) => n.startsWith('X-'))).toEqual(['X-Test', 'X-Dup', 'X-Dup']);
  await expect(reqHeaders.filter({ hasText: 'X-Test' })).toContainText('one');
  // curl sent a form: shown as a form table by default, as text on request.
  const reqBody = request.getByRole('region', { name: 'Body' });
  await expect(reqBody.getByRole('row').filter({ hasText: 'hello' })).toContainText('world');
  await reqBody.getByLabel('Body view').selectOption('text');
  await expect(reqBody).toContainText('hello=world');

  const response = page.getByRole('region', { name: 'Response' });
  await expect(response.getByRole('region', { name: 'Start line' })).toContainText(
    'HTTP/1.1 201 Created Here',
  );
  await expect(response.locator('[data-part="reason phrase"]')).toHaveText('Created Here');
  await expect(response.getByRole('region', { name: 'Headers' })).toContainText('X-Origin');
  const body = response.getByRole('region', { name: 'Body' });
  await expect(body).toContainText('"one"');
  await expect(body).toContainText('hello=world');

  // The raw header toggle shows the block as text.
  await response
    .getByRole('region', { name: 'Headers' })
    .getByRole('button', { name: 'Raw' })
    .click();
  await expect(response.getByLabel('Raw header block')).toContainText('X-Origin: yes');

  // The Raw tab marks the three blocks.
  await page.getByRole('tab', { name: 'Raw' }).click();
  const rawRequest = page.getByRole('region', { name: 'Raw request' });
  await expect(rawRequest).toContainText('start line');
  await expect(rawRequest).toContainText('header block');
  await expect(rawRequest).toContainText('X-Test: one');
  await expect(rawRequest).toContainText('hello=world');

  await page.getByRole('tab', { name: 'Timing' }).click();
  await expect(page.getByRole('table', { name: 'Timing phases' })).toContainText('Waiting');
});

test('edit and resend: change a header and the body, send, see the composer exchange', async ({
  page,
}) => {
  await openUi(page, web.uiUrl);
  await dataRows(page).filter({ hasText: '/api/echo?x=1' }).first().click();
  await page.getByRole('button', { name: 'Edit and resend' }).click();

  const composer = page.getByRole('region', { name: 'Composer' });
  const raw = composer.getByRole('textbox', { name: 'Raw request' });
  await expectRawText(raw, /^POST .*\/api\/echo\?x=1 HTTP\/1\.1\n/);
  await expectRawText(raw, /\n\nhello=world$/);
  await expect(composer.getByLabel('Target host')).toHaveValue('127.0.0.1');
  await expect(composer.getByLabel('Target port')).toHaveValue(String(origin.port));

  // Structured edit → raw text.
  const names = await composer
    .getByRole('textbox', { name: /^Header \d+ name$/ })
    .evaluateAll((els) => els.map((e) => (e as unknown as { value: string }).value));
  const index = names.indexOf('X-Test') + 1;
  await composer.getByRole('textbox', { name: `Header ${index} value` }).fill('two');
  await expectRawText(raw, /\nX-Test: two\n/);

  // Raw edit → structured body.
  const text = await rawEditorText(raw);
  await raw.fill(text.replace(/hello=world$/, 'edited=body&more=1'));
  await expect(composer.getByRole('textbox', { name: 'Body text' })).toHaveValue(
    'edited=body&more=1',
  );

  await composer.getByRole('button', { name: 'Send' }).click();
  const response = composer.getByRole('region', { name: 'Response' });
  await expect(response.getByRole('region', { name: 'Start line' })).toContainText(
    'HTTP/1.1 201 Created Here',
    {
      timeout: 45_000,
    },
  );
  const body = response.getByRole('region', { name: 'Body' });
  await expect(body).toContainText('"two"');
  await expect(body).toContainText('edited=body&more=1');
  await expect(composer.getByRole('table', { name: 'Timing phases' })).toBeVisible();

  const sentRow = dataRows(page).filter({ hasText: 'composer' });
  await expect(sentRow).toHaveCount(1, { timeout: 45_000 });
  await expect(sentRow).toContainText('/api/echo?x=1');
  await expect(sentRow).toContainText('201');
});

test('Chromium itself through the proxy: the page is captured and its HTML shown as source, not run', async ({
  page,
}) => {
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    // Chromium skips the proxy for loopback unless told not to.
    args: [
      ...CHROMIUM_ARGS,
      `--proxy-server=http://127.0.0.1:${web.proxyPort}`,
      '--proxy-bypass-list=<-loopback>',
    ],
  });
  try {
    const proxied = await browser.newPage();
    await proxied.goto(`${origin.url}/page.html`);
    await expect(proxied.locator('h1')).toHaveText('Hello page');
  } finally {
    await browser.close();
  }

  await openUi(page, web.uiUrl);
  const row = dataRows(page).filter({ hasText: '/page.html' });
  await expect(row).toHaveCount(1, { timeout: 45_000 });
  await row.click();
  const body = page.getByRole('region', { name: 'Response' }).getByRole('region', { name: 'Body' });
  await expect(body.locator('[data-view="source"]')).toContainText(
    '<script>document.title="ran"</script>',
  );
  await expect(body.locator('.tok-tag').first()).toBeVisible();
  expect(await page.locator('iframe').count()).toBe(0);
  expect(await page.title()).toBe('Wirelens');
});
