/**
 * `wirelens web --insecure-upstream --no-intercept HOSTS`: the same HTTPS options as
 * `wirelens capture` and `wirelens browser`, reaching the proxy the web UI runs. Real
 * curl through the real `wirelens web` to a local HTTPS origin with a self-signed
 * certificate (a developer's own server, say).
 */
import { expect, test } from '@playwright/test';
import { join } from 'node:path';
import { runCurl } from '../support/origin-server';
import { selfSignedCertificate, startHttpsOrigin, type HttpsOrigin } from '../support/test-ca';
import { startWirelensWeb, type WirelensWeb } from './ui-web-harness';

let origin: HttpsOrigin;
let web: WirelensWeb;

test.beforeAll(async () => {
  test.setTimeout(200_000);
  origin = await startHttpsOrigin(await selfSignedCertificate(['127.0.0.1']));
  web = await startWirelensWeb(180_000, ['--insecure-upstream', '--no-intercept', '127.0.0.1']);
});

test.afterAll(async () => {
  await web?.stop();
  await origin?.close();
});

test('--insecure-upstream is warned about and lets a self-signed upstream through; --no-intercept tunnels', async () => {
  expect(web.output()).toContain('--insecure-upstream: upstream TLS certificates are NOT verified');
  const proxy = ['-x', `http://127.0.0.1:${web.proxyPort}`];
  const wirelensCa = join(web.dataDir, 'ca.pem');

  // `localhost` is intercepted: the client trusts the Wirelens CA, and the proxy accepts
  // the origin's self-signed certificate because it was told to.
  const intercepted = await runCurl([
    ...proxy,
    '--cacert',
    wirelensCa,
    '-w',
    '\n%{http_code}',
    `https://localhost:${origin.port}/through`,
  ]);
  expect(intercepted.stdout.toString()).toMatch(/GET \/through[\s\S]*\n200$/);

  // `127.0.0.1` is not intercepted: curl meets the origin's own self-signed certificate,
  // which the Wirelens CA does not vouch for (exit 60), and which it accepts with -k.
  const blindRefused = await runCurl([
    ...proxy,
    '--cacert',
    wirelensCa,
    `https://127.0.0.1:${origin.port}/blind`,
  ]);
  expect(blindRefused.code).toBe(60);
  const blind = await runCurl([...proxy, '-k', `https://127.0.0.1:${origin.port}/blind`]);
  expect(blind.stdout.toString()).toContain('GET /blind');
  expect(origin.requests.map((r) => r.url)).toEqual(['/through', '/blind']);
});
