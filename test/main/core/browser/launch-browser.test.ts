import { existsSync } from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { launchBrowser, type LaunchedBrowser } from '../../../../main/core/browser/launch-browser';
import { chromiumPath } from '../../../support/chromium';

let browser: LaunchedBrowser | undefined;
let server: net.Server | undefined;
afterEach(async () => {
  await browser?.close();
  server?.close();
  browser = undefined;
});

/** A stand-in HTTP proxy that answers every request with a tiny page and reports its request line. */
function startRecordingProxy(): Promise<{ port: number; firstRequestLine: Promise<string> }> {
  let report: (line: string) => void = () => undefined;
  const firstRequestLine = new Promise<string>((resolve) => (report = resolve));
  server = net.createServer((socket) => {
    let text = '';
    socket.on('data', (chunk) => {
      text += chunk.toString('latin1');
      if (!text.includes('\r\n\r\n')) return;
      const line = text.slice(0, text.indexOf('\r\n'));
      if (line.startsWith('GET http://wirelens-launch.test/')) report(line);
      const body = '<p>hello</p>';
      socket.end(
        `HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
      );
    });
    socket.on('error', () => undefined);
  });
  return new Promise((resolve) =>
    server!.listen(0, '127.0.0.1', () =>
      resolve({ port: (server!.address() as AddressInfo).port, firstRequestLine }),
    ),
  );
}

describe('launchBrowser', () => {
  it('sends the browser through the proxy with a temporary profile that is removed on exit', async () => {
    const proxy = await startRecordingProxy();
    browser = await launchBrowser({
      executablePath: chromiumPath(),
      proxy: { host: '127.0.0.1', port: proxy.port },
      spkiFingerprint: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
      url: 'http://wirelens-launch.test/',
      extraArgs: ['--headless=new', '--disable-gpu'],
    });
    expect(browser.pid).toBeGreaterThan(0);
    expect(browser.args).toContain(`--proxy-server=http://127.0.0.1:${proxy.port}`);
    expect(browser.args).toContain('--proxy-bypass-list=<-loopback>');
    expect(browser.args).toContain(
      '--ignore-certificate-errors-spki-list=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
    );
    expect(await proxy.firstRequestLine).toBe('GET http://wirelens-launch.test/ HTTP/1.1');
    expect(existsSync(browser.profileDir)).toBe(true);
    await browser.close();
    expect(existsSync(browser.profileDir)).toBe(false);
  }, 90_000);

  it('fails clearly when the executable does not exist', async () => {
    await expect(
      launchBrowser({
        executablePath: '/nonexistent/chromium',
        proxy: { host: '127.0.0.1', port: 9 },
        spkiFingerprint: 'x',
      }),
    ).rejects.toThrow(/could not start \/nonexistent\/chromium/);
  });
});
