/**
 * toCurl → run the produced command with the real curl (through bash) against a raw
 * recorder on 127.0.0.1 → the bytes curl sends equal the original request.
 */
import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromCurl } from '../../../shared/curl/from-curl';
import { toCurl } from '../../../shared/curl/to-curl';
import { startRawRecorder, type RawRecorder } from '../../support/raw-recorder';

let recorder: RawRecorder;
beforeAll(async () => {
  recorder = await startRawRecorder();
});
afterAll(async () => {
  await recorder?.close();
});

const latin1 = (b: Uint8Array) => Buffer.from(b).toString('latin1');

function runBash(command: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = execFile('bash', ['-c', command], { timeout: 30_000 }, (error) =>
      error ? reject(error) : resolve(),
    );
    child.stdin?.end();
  });
}

/** {HOST} = the recorder's authority. Bodies get a correct Content-Length. */
function request(head: string, body: Uint8Array | string = ''): Uint8Array {
  const b = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body);
  const h = Buffer.from(
    head.replaceAll('{HOST}', `127.0.0.1:${recorder.port}`).replace('{N}', String(b.length)),
    'latin1',
  );
  return new Uint8Array(Buffer.concat([h, b]));
}

const allBytes = new Uint8Array(256).map((_, i) => i);
const CASES: Array<[string, () => Uint8Array]> = [
  ['bare GET without curl defaults', () => request('GET /plain HTTP/1.1\r\nHost: {HOST}\r\n\r\n')],
  [
    'GET with headers in order, duplicates, empty value',
    () =>
      request(
        'GET /a?b=1&c=%20 HTTP/1.1\r\nHost: {HOST}\r\nAccept: text/html\r\nX-Dup: 1\r\nx-dup: 2\r\nX-Empty:\r\nUser-Agent: Mozilla/5.0 (X11)\r\n\r\n',
      ),
  ],
  [
    'POST JSON with quotes and UTF-8',
    () =>
      request(
        'POST /json HTTP/1.1\r\nHost: {HOST}\r\nContent-Type: application/json\r\nContent-Length: {N}\r\n\r\n',
        `{"name":"O'Brien","city":"Zürich","emoji":"🙂","back":"\\\\"}`,
      ),
  ],
  [
    'PUT text with newlines, tabs, dollar and backticks',
    () =>
      request(
        'PUT /t HTTP/1.1\r\nHost: {HOST}\r\nContent-Type: text/plain\r\nContent-Length: {N}\r\n\r\n',
        'line 1\r\nline\t2 $HOME `id` \\n !x\n',
      ),
  ],
  [
    'binary body with every byte value (NUL via printf)',
    () =>
      request(
        'POST /bin HTTP/1.1\r\nHost: {HOST}\r\nContent-Type: application/octet-stream\r\nContent-Length: {N}\r\n\r\n',
        allBytes,
      ),
  ],
  [
    'binary body without NUL, non-UTF-8 bytes',
    () =>
      request(
        'POST /nonutf8 HTTP/1.1\r\nHost: {HOST}\r\nContent-Length: {N}\r\n\r\n',
        new Uint8Array([0xff, 0xfe, 0x41, 0x80, 0x0a]),
      ),
  ],
  [
    'DELETE without body, Accept kept',
    () => request('DELETE /items/1 HTTP/1.1\r\nHost: {HOST}\r\nAccept: */*\r\n\r\n'),
  ],
  [
    'POST with empty body and Content-Length: 0',
    () => request('POST /empty HTTP/1.1\r\nHost: {HOST}\r\nContent-Length: 0\r\n\r\n'),
  ],
  [
    'latin1 header bytes and a path with dot segments',
    () => request('GET /a/../b/./c HTTP/1.1\r\nHost: {HOST}\r\nX-Name: Jos\xe9\r\n\r\n'),
  ],
  [
    'odd target via --request-target',
    () => request('GET /caf\xe9?x="y"#f HTTP/1.1\r\nHost: {HOST}\r\n\r\n'),
  ],
  [
    'absolute-form target as a proxy saw it',
    () =>
      request(
        'GET http://{HOST}/abs HTTP/1.1\r\nHost: {HOST}\r\nProxy-Connection: keep-alive\r\n\r\n',
      ),
  ],
  [
    'custom method and Cookie',
    () =>
      request(
        'PATCH /p HTTP/1.1\r\nHost: {HOST}\r\nCookie: a=1; b=2\r\nContent-Type: application/merge-patch+json\r\nContent-Length: {N}\r\n\r\n',
        '{}',
      ),
  ],
];

describe('toCurl (posix) reproduces the request with the real curl', () => {
  for (const [name, make] of CASES) {
    it(name, async () => {
      const original = make();
      const command = toCurl({
        requestRaw: original,
        scheme: 'http',
        host: '127.0.0.1',
        port: recorder.port,
      });
      const got = recorder.nextRequest();
      await runBash(`${command} -s -o /dev/null --max-time 20`);
      expect(latin1(await got)).toBe(latin1(original));
    });
  }
});

describe('toCurl → fromCurl', () => {
  it('gives back the same bytes when the body can be a shell word', () => {
    for (const [name, make] of CASES) {
      if (name.includes('NUL')) continue;
      const original = make();
      const back = fromCurl(
        toCurl({ requestRaw: original, host: '127.0.0.1', port: recorder.port }),
      );
      expect(latin1(back.raw), name).toBe(latin1(original));
    }
  });
});

describe('toCurl (cmd) → fromCurl reads the Windows form back', () => {
  it('same bytes for requests with text bodies', () => {
    for (const [name, make] of CASES) {
      if (/binary|NUL|newlines|latin1|odd target/.test(name)) continue;
      const original = make();
      const command = toCurl(
        { requestRaw: original, host: '127.0.0.1', port: recorder.port },
        { platform: 'cmd' },
      );
      expect(latin1(fromCurl(command).raw), name).toBe(latin1(original));
    }
  });
  it('reads a Chrome-style cmd command', () => {
    const chrome =
      'curl ^"http://h.example/api?x=1^&y=2^" ^\n  -H ^"accept: */*^" ^\n' +
      '  --data-raw ^"^{^\\^"a^\\^":^\\^"100^%^\\^"^}^"';
    const r = fromCurl(chrome);
    expect(latin1(r.raw)).toBe(
      'POST /api?x=1&y=2 HTTP/1.1\r\nHost: h.example\r\nUser-Agent: curl/7.88.1\r\naccept: */*\r\n' +
        'Content-Length: 12\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\n{"a":"100%"}',
    );
  });
});

describe('toCurl options and other shells', () => {
  const req = () =>
    request(
      'POST /x HTTP/1.1\r\nHost: {HOST}\r\nContent-Length: {N}\r\n\r\n',
      `a "quoted" & 100% ^caret's`,
    );
  it('-k only when asked; https URL from the target', () => {
    expect(
      toCurl({ requestRaw: req(), scheme: 'https', host: 'h.example', port: 443 }),
    ).not.toMatch(/ -k /);
    const c = toCurl(
      { requestRaw: req(), scheme: 'https', host: 'h.example', port: 443 },
      { insecure: true },
    );
    expect(c).toMatch(/ -k https:\/\/h\.example\/x/);
  });
  it('cmd: caret-escaped, curl.exe, ^ continuations', () => {
    const c = toCurl(req(), { platform: 'cmd' });
    expect(c.startsWith('curl.exe --http1.1')).toBe(true);
    expect(c).toContain('^"a \\^"quoted\\^" ^& 100^% ^^caret\'s^"');
    expect(c).toContain(' ^\n  -H');
  });
  it('powershell: single quotes doubled, binary bodies through a file', () => {
    expect(toCurl(req(), { platform: 'powershell' })).toContain(`'a "quoted" & 100% ^caret''s'`);
    const bin = request(
      'POST /b HTTP/1.1\r\nHost: {HOST}\r\nContent-Length: {N}\r\n\r\n',
      allBytes,
    );
    const c = toCurl(bin, { platform: 'powershell' });
    expect(c).toMatch(/^\[IO\.File\]::WriteAllBytes/);
    expect(c).toContain(Buffer.from(allBytes).toString('base64'));
  });
});
