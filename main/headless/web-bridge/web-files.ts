/**
 * The web mode's file endpoints (FILES_API_PATH in shared/api/ws-protocol.ts): uploads
 * streamed to a transfer file (never held in memory), downloads streamed from one. The
 * caller has passed the Host/Origin and token checks already (./web-server.ts). Only ids
 * the service gave out name files; an id is good for one direction and one download.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { FILES_API_PATH } from '../../../shared/api/ws-protocol';
import type { TransferFiles } from '../../core/service-files';
import { securityHeaders } from './static-files';

/** The largest upload accepted (a capture of a long session can be big; the disk decides). */
export const MAX_UPLOAD_BYTES = 16 * 1024 ** 3;

function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...securityHeaders(),
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}

/** `attachment; filename="x.har"` with a plain-ASCII fallback and the exact UTF-8 name. */
function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export function isFilesPath(pathname: string): boolean {
  return pathname === FILES_API_PATH || pathname.startsWith(FILES_API_PATH + '/');
}

async function upload(files: TransferFiles, req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url ?? '/', 'http://placeholder');
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > MAX_UPLOAD_BYTES) {
    return reply(res, 413, { code: 'TOO_LARGE', message: 'The file is too large to upload.' });
  }
  const { fileId, file } = files.reserveUpload(url.searchParams.get('name') ?? 'upload');
  let bytes = 0;
  try {
    await pipeline(
      req,
      async function* (source: AsyncIterable<Buffer>) {
        for await (const chunk of source) {
          bytes += chunk.length;
          if (bytes > MAX_UPLOAD_BYTES)
            throw Object.assign(new Error('too large'), { tooLarge: true });
          yield chunk;
        }
      },
      createWriteStream(file, { mode: 0o600 }),
    );
  } catch (error) {
    await files.release(fileId);
    if ((error as { tooLarge?: boolean }).tooLarge) {
      return reply(res, 413, { code: 'TOO_LARGE', message: 'The file is too large to upload.' });
    }
    if (!res.headersSent && !req.destroyed) {
      reply(res, 500, { code: 'UPLOAD_FAILED', message: (error as Error).message });
    }
    return;
  }
  const { file: _path, ...described } = files.describe(fileId, 'upload');
  reply(res, 201, described);
}

function download(files: TransferFiles, fileId: string, res: ServerResponse): void {
  let described;
  try {
    described = files.describe(fileId, 'outgoing');
  } catch (error) {
    return reply(res, 404, { code: 'NOT_FOUND', message: (error as Error).message });
  }
  res.writeHead(200, {
    ...securityHeaders(),
    'Content-Type': 'application/octet-stream',
    'Content-Length': described.bytes,
    'Content-Disposition': contentDisposition(described.name),
    'Cache-Control': 'no-store',
  });
  pipeline(createReadStream(described.file), res).then(
    // Delivered once: the file goes (a failed download can be exported again).
    () => files.release(fileId),
    () => res.destroy(),
  );
}

/** Handles a request under FILES_API_PATH. */
export function serveFiles(
  files: TransferFiles | undefined,
  req: IncomingMessage,
  res: ServerResponse,
): void {
  if (!files) return reply(res, 404, { code: 'NOT_AVAILABLE', message: 'No file transfers here.' });
  const { pathname } = new URL(req.url ?? '/', 'http://placeholder');
  if (pathname === FILES_API_PATH && req.method === 'POST') {
    upload(files, req, res).catch(() => res.destroy());
    return;
  }
  const id = pathname.slice(FILES_API_PATH.length + 1);
  if (id && !id.includes('/') && req.method === 'GET') {
    return download(files, decodeURIComponent(id), res);
  }
  res.setHeader('Allow', 'POST, GET');
  reply(res, 405, { code: 'METHOD_NOT_ALLOWED', message: 'POST a file, or GET one by id.' });
}
