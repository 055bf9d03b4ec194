/**
 * `wirelens send --from-curl 'curl …' [--dry-run]`: the dry run prints exactly the bytes
 * the real curl puts on the wire (checked against a raw recorder, modulo User-Agent
 * version), and a real send delivers those same bytes.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRawRecorder, type RawRecorder } from '../support/raw-recorder';

const BIN = path.resolve('main/headless/bin/wirelens.mjs');
let recorder: RawRecorder;
let dataDir: string;

beforeAll(async () => {
  recorder = await startRawRecorder();
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'wirelens-curl-send-'));
});
afterAll(async () => {
  await recorder?.close();
});

function wirelens(
  args: string[],
): Promise<{ code: number | null; stdout: Buffer; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, WIRELENS_DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    const timer = setTimeout(() => child.kill('SIGKILL'), 40_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out), stderr });
    });
  });
}

function realCurl(command: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(
      'bash',
      ['-c', `${command} -s -o /dev/null --max-time 20`],
      { timeout: 30_000 },
      (e) => (e ? reject(e) : resolve()),
    );
  });
}

const normalize = (b: Uint8Array) =>
  Buffer.from(b)
    .toString('latin1')
    .replace(/User-Agent: curl\/[^\r]*/g, 'User-Agent: curl/X');

describe('wirelens send --from-curl', () => {
  const command = () =>
    `curl -X POST 'http://127.0.0.1:${recorder.port}/api?x=1' -H 'Content-Type: application/json' ` +
    `-H 'X-Trace: a b' -u me:pw --compressed --data-raw '{"q":"Grüße"}'`;

  it('--dry-run prints the bytes real curl sends', async () => {
    const got = recorder.nextRequest();
    await realCurl(command());
    const fromCurl = normalize(await got);
    const dry = await wirelens(['send', '--from-curl', command(), '--dry-run']);
    expect(dry.stderr).toBe('');
    expect(dry.code).toBe(0);
    expect(normalize(dry.stdout)).toBe(fromCurl);
  }, 90_000);

  it('sends those bytes to the URL host and prints the response', async () => {
    const got = recorder.nextRequest();
    const sent = await wirelens(['send', '--from-curl', command()]);
    expect(sent.code).toBe(0);
    expect(sent.stdout.toString('latin1')).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    const dry = await wirelens(['send', '--from-curl', command(), '--dry-run']);
    expect(Buffer.from(await got).equals(dry.stdout)).toBe(true);
  }, 90_000);

  it('unknown flags are warnings; a command without URL is a usage error', async () => {
    const warn = await wirelens([
      'send',
      '--from-curl',
      `curl --frob http://127.0.0.1:${recorder.port}/`,
      '--dry-run',
    ]);
    expect(warn.code).toBe(0);
    expect(warn.stderr).toContain('warning: unknown option --frob ignored');
    const bad = await wirelens(['send', '--from-curl', 'curl -s', '--dry-run']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/CURL_NO_URL/);
  }, 90_000);
});
