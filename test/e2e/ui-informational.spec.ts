/**
 * 1xx responses are shown: a 103 Early Hints (with its Link header) and a 100 Continue
 * that came through the proxy before the final response appear in the Response region
 * above it, and in the Raw tab as the first bytes of the response. Real curl through the
 * real `wirelens web`, a node:http origin on loopback.
 */
import { expect as baseExpect, test, type Page } from '@playwright/test';
import { runCurl, startHttpOrigin, type HttpOrigin } from '../support/origin-server';
import { startWirelensWeb, type WirelensWeb } from './ui-web-harness';
import { dataRows, openUi } from './ui-page';

const expect = baseExpect.configure({ timeout: 15_000 });
const LINK = '</style.css>; rel=preload; as=style';

let web: WirelensWeb;
let origin: HttpOrigin;

test.describe.configure({ mode: 'serial', timeout: 120_000 });

test.beforeAll(async () => {
  // node:http answers "Expect: 100-continue" with 100 Continue by itself.
  origin = await startHttpOrigin((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.url === '/hints') res.writeEarlyHints({ link: LINK });
      const body = `final ${req.url} ${Buffer.concat(chunks).toString()}`;
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': body.length });
      res.end(body);
    });
  });
  web = await startWirelensWeb();
  const proxy = `http://127.0.0.1:${web.proxyPort}`;
  const hints = await runCurl(['-x', proxy, `${origin.url}/hints`]);
  expect(hints.stdout.toString()).toBe('final /hints ');
  const upload = await runCurl([
    '-x',
    proxy,
    '-H',
    'Expect: 100-continue',
    '--data-binary',
    'hello',
    `${origin.url}/upload`,
  ]);
  expect(upload.stdout.toString()).toBe('final /upload hello');
});

test.afterAll(async () => {
  await web?.stop();
  await origin?.close();
});

async function openExchange(page: Page, path: string): Promise<void> {
  await openUi(page, web.uiUrl);
  const row = dataRows(page).filter({ hasText: path });
  await expect(row).toHaveCount(1, { timeout: 45_000 });
  await row.click();
}

test('a 103 Early Hints is shown above the final response, with its Link header', async ({
  page,
}) => {
  await openExchange(page, '/hints');
  const response = page.getByRole('region', { name: 'Response', exact: true });
  const hints = response.getByRole('region', { name: 'Informational 103 Early Hints' });
  await expect(hints).toContainText('Informational response 1xx');
  await expect(hints.getByRole('region', { name: 'Status line' })).toHaveText(
    /HTTP\/1\.1 103 Early Hints/,
  );
  const fields = hints.getByRole('region', { name: 'Header fields' });
  await expect(fields.getByRole('row').filter({ hasText: 'Link' })).toContainText(LINK);
  // The final response keeps its own blocks, after the 103.
  await expect(response.getByRole('region', { name: 'Start line' })).toHaveText(
    /HTTP\/1\.1 200 OK/,
  );
  await expect(response.getByRole('region', { name: 'Body' })).toContainText('final /hints');

  // Raw: the 103's bytes come first on the wire, marked apart from the final start line.
  await page.getByRole('tab', { name: 'Raw' }).click();
  const raw = page.getByRole('region', { name: 'Raw response' });
  const interim = raw.locator('.raw-informational');
  await expect(interim).toHaveCount(1);
  await expect(interim).toContainText('HTTP/1.1 103 Early Hints↵');
  await expect(interim).toContainText(`Link: ${LINK}↵`);
  await expect(raw.locator('.raw-start')).toContainText('HTTP/1.1 200 OK↵');
  await expect(raw.locator('.raw-start')).not.toContainText('103');
  const interimBytes = `HTTP/1.1 103 Early Hints\r\nLink: ${LINK}\r\n\r\n`.length;
  await expect(raw).toContainText(`(after ${interimBytes} bytes of 1xx responses)`);
});

test('a 100 Continue to "Expect: 100-continue" is shown before the final response', async ({
  page,
}) => {
  await openExchange(page, '/upload');
  const response = page.getByRole('region', { name: 'Response', exact: true });
  const interim = response.getByRole('region', { name: 'Informational 100 Continue' });
  await expect(interim.getByRole('region', { name: 'Status line' })).toHaveText(
    /HTTP\/1\.1 100 Continue/,
  );
  await expect(response.getByRole('region', { name: 'Start line' })).toHaveText(
    /HTTP\/1\.1 200 OK/,
  );
  const request = page.getByRole('region', { name: 'Request', exact: true });
  await expect(request.getByRole('region', { name: 'Headers' })).toContainText('100-continue');
  await page.getByRole('tab', { name: 'Raw' }).click();
  await expect(
    page.getByRole('region', { name: 'Raw response' }).locator('.raw-informational'),
  ).toContainText('HTTP/1.1 100 Continue↵');
});

test('the composer shows the 103 its own send received (the sender records 1xx too)', async ({
  page,
}) => {
  await openUi(page, web.uiUrl);
  await page.getByRole('button', { name: 'New request' }).click();
  const composer = page.getByRole('region', { name: 'Composer' });
  await composer
    .getByRole('textbox', { name: 'Raw request' })
    .fill(`GET /hints HTTP/1.1\nHost: 127.0.0.1:${origin.port}\n\n`);
  await composer.getByLabel('Target host').fill('127.0.0.1');
  await composer.getByLabel('Target port').fill(String(origin.port));
  await composer.getByRole('button', { name: 'Send' }).click();
  const response = composer.getByRole('region', { name: 'Response', exact: true });
  await expect(response.getByRole('region', { name: 'Start line' })).toHaveText(
    /HTTP\/1\.1 200 OK/,
    { timeout: 45_000 },
  );
  const hints = response.getByRole('region', { name: 'Informational 103 Early Hints' });
  await expect(hints.getByRole('region', { name: 'Header fields' })).toContainText(LINK);
});
