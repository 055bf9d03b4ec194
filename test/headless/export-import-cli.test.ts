/**
 * `wirelens export` / `wirelens import` as a user runs them (child processes): HAR out of
 * one data folder and into another, capture files saved and opened, errors and exit codes.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExchangeStore } from '../../main/core/store/exchange-store';
import { messageRecordOf } from '../../shared/har/message-record';

const BIN = path.resolve('main/headless/bin/wirelens.mjs');
const FIXTURES = path.resolve('test/fixtures/har');
// Each test spawns up to three CLIs through tsx: generous per-test timeouts below.
const tmp = (p: string) => mkdtempSync(path.join(os.tmpdir(), p));

function wirelens(
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    const timer = setTimeout(() => child.kill('SIGKILL'), 25_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

async function folderWith(paths: string[]): Promise<string> {
  const dir = tmp('wirelens-cli-data-');
  const store = await ExchangeStore.open(dir);
  for (const p of paths) {
    const req = new Uint8Array(
      Buffer.from(`GET ${p} HTTP/1.1\r\nHost: cli.test\r\n\r\n`, 'latin1'),
    );
    const status = p.includes('missing') ? 404 : 200;
    const res = new Uint8Array(
      Buffer.from(`HTTP/1.1 ${status} X\r\nContent-Length: 2\r\n\r\nhi`, 'latin1'),
    );
    store.importExchange({
      request: { raw: req, message: messageRecordOf(req, 'request') },
      response: { raw: res, message: messageRecordOf(res, 'response', 'GET') },
      host: 'cli.test',
      port: 80,
    });
  }
  await store.close();
  return dir;
}

describe('wirelens export / import', () => {
  it('export --har with --filter, then import into another folder', async () => {
    const source = await folderWith(['/a', '/missing', '/b']);
    const har = path.join(tmp('wirelens-cli-out-'), 'out.har');
    const out = await wirelens([
      'export',
      '--har',
      har,
      '--data-dir',
      source,
      '--filter',
      'status:200',
    ]);
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    expect(out.stdout).toContain(`2 exchanges written to ${har}`);
    const doc = JSON.parse(readFileSync(har, 'utf8'));
    expect(doc.log.entries.map((e: { request: { url: string } }) => e.request.url)).toEqual([
      'http://cli.test/a',
      'http://cli.test/b',
    ]);

    const target = tmp('wirelens-cli-data-');
    const inn = await wirelens([
      'import',
      har,
      path.join(FIXTURES, 'chrome.har'),
      '--data-dir',
      target,
    ]);
    expect(inn.code).toBe(0);
    expect(inn.stdout).toContain('out.har: 2 imported, 0 skipped');
    expect(inn.stdout).toContain('chrome.har: 3 imported, 0 skipped');
    const store = await ExchangeStore.open(target);
    try {
      expect(store.list({}).items.map((s) => s.source)).toEqual(Array(5).fill('import'));
    } finally {
      await store.close();
    }
  }, 90_000);

  it('import reports skipped entries and fails cleanly on a bad file', async () => {
    const target = tmp('wirelens-cli-data-');
    const partial = await wirelens([
      'import',
      path.join(FIXTURES, 'partly-broken.har'),
      '--data-dir',
      target,
    ]);
    expect(partial.code).toBe(0);
    expect(partial.stdout).toContain('2 imported, 6 skipped');
    expect(partial.stderr).toContain('skipped entry 1: request.url is missing');
    const bad = await wirelens([
      'import',
      path.join(FIXTURES, '../../../package.json'),
      '--data-dir',
      target,
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/HAR_NOT_A_HAR/);
    const usage = await wirelens(['export', '--data-dir', target]);
    expect(usage.code).toBe(2);
  }, 90_000);

  it('export --capture then import --capture into an empty folder', async () => {
    const source = await folderWith(['/one', '/two']);
    const file = path.join(tmp('wirelens-cli-out-'), 'session.wlcap');
    const saved = await wirelens(['export', '--capture', file, '--data-dir', source]);
    expect(saved.code).toBe(0);
    expect(saved.stdout).toContain('2 exchanges saved');
    const target = tmp('wirelens-cli-data-');
    const opened = await wirelens(['import', '--capture', file, '--data-dir', target]);
    expect(opened.code).toBe(0);
    expect(opened.stdout).toContain('2 exchanges opened');
    const again = await wirelens(['import', '--capture', file, '--data-dir', target]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/CAPTURE_EXISTS/);
  }, 90_000);
});
