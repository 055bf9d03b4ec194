/**
 * fromCurl against the real thing: each command runs through bash with the real `curl`
 * against a raw recorder on 127.0.0.1, and the bytes curl sent must equal the bytes
 * fromCurl builds — modulo the User-Agent version and the random multipart boundary.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromCurl } from '../../../shared/curl/from-curl';
import { startRawRecorder, type RawRecorder } from '../../support/raw-recorder';

let recorder: RawRecorder;
let dir: string;

beforeAll(async () => {
  recorder = await startRawRecorder();
  dir = mkdtempSync(join(tmpdir(), 'wirelens-curl-'));
  writeFileSync(join(dir, 'lines.txt'), 'one\r\ntwo\nthree\n');
  writeFileSync(join(dir, 'blob.bin'), new Uint8Array([0, 1, 2, 0xff, 0x0d, 0x0a, 0x80]));
  writeFileSync(join(dir, 'pic.png'), new Uint8Array([0x89, 0x50, 0x4e, 0x47]));
});
afterAll(async () => {
  await recorder?.close();
});

function normalize(bytes: Uint8Array): string {
  return Buffer.from(bytes)
    .toString('latin1')
    .replace(/User-Agent: curl\/[^\r]*/g, 'User-Agent: curl/X')
    .replace(/-{24}[0-9a-f]{16}/g, 'BOUNDARY');
}

function runCurl(command: string): Promise<void> {
  return new Promise((resolve, reject) => {
    // stdin closed so a prompt can never hang the test; bounded by --max-time.
    const child = execFile(
      'bash',
      ['-c', `${command} -s -o /dev/null --max-time 20`],
      { timeout: 30_000 },
      (error) => (error ? reject(error) : resolve()),
    );
    child.stdin?.end();
  });
}

// U = the recorder's base URL, F = the folder with the test files.
const COMMANDS = [
  `curl U/`,
  `curl 'U/search?q=a%20b&x=1'`,
  `curl -X PUT -H 'Content-Type: application/json' -d '{"name":"Zoë","tags":["a","b"]}' U/items/7`,
  `curl U/api -H 'Authorization: Bearer abc.def' -H 'X-Dup: 1' -H 'X-Dup: 2' --compressed`,
  `curl -u alice:s3cr3t -A 'Agent/1.0' -e https://ref.example/ -b 'a=1; b=2' -b c=3 U/`,
  `curl -d a=1 -d b=2 --data-urlencode 'msg=hello world & more' --data-urlencode '=x y' U/form`,
  `curl -G -d q=1 --data-urlencode 'z=a b' 'U/p?x=0'`,
  `curl -I U/head`,
  `curl -XDELETE U/thing/1`,
  `curl -sSL -k --http1.1 -H 'Accept:' -H 'User-Agent:' -H 'X-Empty;' U/strip`,
  `curl --data-binary $'line1\\nline2\\t\\x01\\xff' U/bin`,
  `curl -H "X-Quote: it's \\"quoted\\"" --data-raw '@not-a-file' U/raw`,
  `curl -F a=b -F 'c=d;type=text/plain' -F f=@F/blob.bin -F 'p=@F/pic.png' -F 'l=<F/lines.txt' U/upload`,
  `curl -d @F/lines.txt U/strip-newlines`,
  `curl --data-binary @F/lines.txt U/keep-newlines`,
  `curl --json '{"a":1}' U/json`,
  `curl -H 'Host: virtual.example' -H 'Cookie: z=9' -b a=1 U/vhost`,
  `curl --url U/by-url -H 'content-type: text/plain' -d 'x'`,
  `curl 'U/a/../b/./c#fragment'`,
  `curl \\\n  -X POST \\\n  -H 'X-Continued: yes' \\\n  U/continued`,
  `curl -H $'X-Bytes: caf\\xc3\\xa9 \\u00e9' --data-binary $'\\x80\\xff\\001' U/ansi-c`,
  `curl -A '' -e ';auto' -H 'Expect:' -T F/lines.txt U/put/`,
  `curl --request-target '*' -X OPTIONS U/`,
  `curl "U/dq?a=\\$HOME" -H "X-Var: \\$x"`,
  // Chrome DevTools "Copy as cURL (bash)":
  `curl 'U/api/v1/search?q=caf%C3%A9' \\\n  -H 'accept: application/json, text/plain, */*' \\\n  -H 'accept-language: en-US,en;q=0.9' \\\n  -b 'session=abc; theme=dark' \\\n  -H 'content-type: application/json' \\\n  -H 'origin: https://app.example' \\\n  -H 'user-agent: Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0.0.0' \\\n  --data-raw $'{"q":"caf\\u00e9","note":"it\\'s"}'`,
  // Firefox "Copy as cURL (POSIX)":
  `curl 'U/login' --compressed -X POST -H 'User-Agent: Mozilla/5.0 Firefox/128.0' -H 'Accept: */*' -H 'Content-Type: application/x-www-form-urlencoded' -H 'Connection: keep-alive' --data-raw 'user=bob&pw=x%20y'`,
];

describe('fromCurl matches the bytes real curl sends', () => {
  for (const template of COMMANDS) {
    it(template.replace(/\n/g, ' '), async () => {
      const command = template
        .replaceAll('U/', `http://127.0.0.1:${recorder.port}/`)
        .replaceAll('F/', dir + '/');
      const got = recorder.nextRequest();
      await runCurl(command);
      const fromReal = normalize(await got);
      const ours = fromCurl(command, { readFile: (p) => new Uint8Array(readFileSync(p)) });
      expect(normalize(ours.raw)).toBe(fromReal);
      expect(ours.target).toMatchObject({ host: '127.0.0.1', port: recorder.port, tls: false });
    });
  }
});

describe('fromCurl without running curl', () => {
  it('reports unknown options as warnings, not failures', () => {
    const r = fromCurl(`curl --frobnicate -Z http://h.example/ --http2`);
    expect(r.warnings.join('\n')).toMatch(/--frobnicate/);
    expect(r.warnings.join('\n')).toMatch(/--http2 is not reproduced/);
    expect(r.target).toEqual({ host: 'h.example', port: 80, tls: false });
  });
  it('https URL gives a TLS target; -k turns verification off', () => {
    const r = fromCurl(`curl -k https://[::1]:8443/x`);
    expect(r.target).toEqual({ host: '::1', port: 8443, tls: true, verify: false });
    expect(Buffer.from(r.raw).toString()).toContain('Host: [::1]:8443\r\n');
  });
  it('stops at a pipe and says so', () => {
    const r = fromCurl(`curl http://h.example/ | jq .`);
    expect(r.warnings.some((w) => w.includes('"|"'))).toBe(true);
  });
  it('files without a reader are warned about, not fatal', () => {
    const r = fromCurl(`curl -d @body.json http://h.example/`);
    expect(r.warnings.join()).toMatch(/body\.json/);
  });
  it('clear errors for non-curl input and missing URL', () => {
    expect(() => fromCurl('wget http://x/')).toThrow(/must start with "curl"/);
    expect(() => fromCurl('curl -s')).toThrow(/no URL/);
    expect(() => fromCurl('curl ftp://x/')).toThrow(/scheme/);
  });
});
