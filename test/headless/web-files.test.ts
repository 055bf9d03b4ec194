import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import { FILES_API_PATH } from '../../shared/api/ws-protocol';
import { generateHar } from '../support/har-generator';
import { rawGet, startWebFixture, type WebFixture } from './web-support';

let fx: WebFixture;

beforeAll(async () => {
  fx = await startWebFixture();
});

afterAll(async () => {
  await fx?.close();
});

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

function request(
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: Buffer | string,
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: fx.web.port, path, method, headers, timeout: 30_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
          }),
        );
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body);
  });
}

const token = () => ({ 'X-Wirelens-Token': fx.web.token });

describe('web bridge: /api/files refusals', () => {
  it('refuses uploads and downloads without the token or with a wrong one (401)', async () => {
    const none = await request('POST', `${FILES_API_PATH}?name=a.har`, {}, 'x');
    expect(none.status).toBe(401);
    const wrong = await request('POST', `${FILES_API_PATH}?name=a.har&token=nope`, {}, 'x');
    expect(wrong.status).toBe(401);
    const get = await rawGet(fx.web.port, `${FILES_API_PATH}/abc`);
    expect(get.status).toBe(401);
  });

  it('refuses a foreign Host or Origin even with the token (403)', async () => {
    const host = await request(
      'POST',
      `${FILES_API_PATH}?name=a.har`,
      { ...token(), Host: `evil.example:${fx.web.port}` },
      'x',
    );
    expect(host.status).toBe(403);
    const origin = await request(
      'POST',
      `${FILES_API_PATH}?name=a.har`,
      { ...token(), Origin: 'http://evil.example' },
      'x',
    );
    expect(origin.status).toBe(403);
    const download = await rawGet(fx.web.port, `${FILES_API_PATH}/x?token=${fx.web.token}`, {
      Origin: 'http://evil.example',
    });
    expect(download.status).toBe(403);
  });

  it('answers 404 for ids it never gave out and 405 for other methods', async () => {
    const unknown = await rawGet(fx.web.port, `${FILES_API_PATH}/nope?token=${fx.web.token}`);
    expect(unknown.status).toBe(404);
    const put = await request('PUT', FILES_API_PATH, token(), 'x');
    expect(put.status).toBe(405);
  });
});

describe('web bridge: /api/files transfers', () => {
  it('streams an upload to a file the API can import by id (not downloadable back)', async () => {
    const har = generateHar(25);
    const up = await request(
      'POST',
      `${FILES_API_PATH}?name=${encodeURIComponent('../../etc/x.har')}`,
      { ...token(), Origin: `http://127.0.0.1:${fx.web.port}` },
      har,
    );
    expect(up.status).toBe(201);
    const described = JSON.parse(up.body.toString()) as {
      fileId: string;
      name: string;
      bytes: number;
    };
    expect(described.bytes).toBe(Buffer.byteLength(har));
    expect(described.name).toBe('x.har'); // no folders from the client
    // An upload id is not a download id.
    const back = await rawGet(
      fx.web.port,
      `${FILES_API_PATH}/${described.fileId}?token=${fx.web.token}`,
    );
    expect(back.status).toBe(404);
    const client = fx.client();
    const result = await client.importHar({ fileId: described.fileId, name: 'x.har' });
    expect(result).toMatchObject({ imported: 25, skipped: [] });
  });

  it('streams a 40 MiB upload to disk byte for byte', async () => {
    const big = Buffer.alloc(40 * 1024 * 1024, 0x61);
    const up = await request('POST', `${FILES_API_PATH}?name=big.bin`, token(), big);
    expect(up.status).toBe(201);
    const { fileId, bytes } = JSON.parse(up.body.toString()) as { fileId: string; bytes: number };
    expect(bytes).toBe(big.length);
    await fx.service.files.release(fileId);
  });

  it('downloads a saved capture once, as an attachment with its name', async () => {
    const client = fx.client();
    await client.importHar({ text: generateHar(5, { host: 'dl.test' }) });
    const saved = await client.saveCapture({});
    expect(saved.count).toBeGreaterThanOrEqual(5);
    const path = `${FILES_API_PATH}/${saved.fileId}?token=${fx.web.token}`;
    const got = await request('GET', path);
    expect(got.status).toBe(200);
    expect(got.body.length).toBe(saved.bytes);
    expect(got.headers['content-disposition']).toContain(`filename="${saved.name}"`);
    expect(got.headers['content-type']).toBe('application/octet-stream');
    expect(got.body.subarray(0, 21).toString()).toBe('wirelens-capture.json'); // ustar member
    await new Promise((r) => setTimeout(r, 50));
    expect((await request('GET', path)).status).toBe(404); // delivered once
  });

  it('refuses exportHar with a path from the UI but writes toFile for download', async () => {
    const client = fx.client();
    await expect(client.exportHar({ path: '/tmp/x.har' })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    const result = await client.exportHar({ toFile: true, filter: 'host:dl.test' });
    expect(result.count).toBe(5);
    const got = await request(
      'GET',
      `${FILES_API_PATH}/${result.file!.fileId}?token=${fx.web.token}`,
    );
    expect(JSON.parse(got.body.toString()).log.entries).toHaveLength(5);
  });
});
