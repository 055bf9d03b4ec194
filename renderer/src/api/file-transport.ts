/**
 * How files cross between the page and the Node side, outside the contract's messages
 * (see TransferFile in shared/api/inspector-api.ts):
 * - web mode: `POST /api/files` streams an upload (with upload progress), and a link to
 *   `GET /api/files/<id>` lets the browser download what a job wrote;
 * - Electron: the preload's `window.wirelensFiles` (a picked file is used where it is; a
 *   written file is copied where the native save dialog says).
 * Stores reach it through `fileTransport()`; tests set a fake with `setFileTransport`.
 */
import type { TransferFile } from '../../../shared/api/inspector-api';
import { FILES_API_PATH } from '../../../shared/api/ws-protocol';
import { ApiError, toApiError } from './api-error';
import { readToken } from './create-client';

/** The part of a DOM File a transport needs. */
export interface PickedFile {
  readonly name: string;
  readonly size: number;
}

export interface FileTransport {
  /** Hands the file to the Node side; resolves with its transfer id. */
  upload(
    file: PickedFile,
    options?: { onProgress?(done: number, total: number): void; signal?: AbortSignal },
  ): Promise<TransferFile>;
  /**
   * Gives the user the written file: a browser download (resolves with nothing: the
   * browser decides where), or a save dialog (resolves with the path it was saved to).
   */
  download(file: TransferFile): Promise<string | void>;
}

declare global {
  interface Window {
    /** Exposed by the Electron preload next to `window.wirelens`. */
    wirelensFiles?: FileTransport;
  }
}

export const UPLOAD_CANCELLED = 'CANCELLED';

let current: FileTransport | null = null;

export function setFileTransport(transport: FileTransport): void {
  current = transport;
}

export function fileTransport(): FileTransport {
  current ??= window.wirelensFiles ?? createWebFileTransport(readToken() ?? '');
  return current;
}

export function createWebFileTransport(token: string): FileTransport {
  return {
    upload(file, options = {}) {
      return new Promise<TransferFile>((resolve, reject) => {
        const xhr = new XMLHttpRequest();
        xhr.open('POST', `${FILES_API_PATH}?name=${encodeURIComponent(file.name)}`);
        xhr.setRequestHeader('X-Wirelens-Token', token);
        xhr.responseType = 'text';
        xhr.upload.onprogress = (e) => options.onProgress?.(e.loaded, e.total || file.size);
        xhr.onload = () => {
          let body: unknown = null;
          try {
            body = JSON.parse(String(xhr.responseText));
          } catch {
            // A refusal from the guard is plain text.
          }
          if (xhr.status === 201) resolve(body as TransferFile);
          else
            reject(
              body
                ? toApiError(body)
                : new ApiError(
                    'UPLOAD_FAILED',
                    `Upload refused (${xhr.status}): ${xhr.responseText}`,
                  ),
            );
        };
        xhr.onerror = () => reject(new ApiError('UPLOAD_FAILED', 'The upload failed.'));
        xhr.onabort = () => reject(new ApiError(UPLOAD_CANCELLED, 'Upload cancelled'));
        options.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
        xhr.send(file as unknown as Blob);
      });
    },
    async download(file) {
      const a = document.createElement('a');
      a.href = `${FILES_API_PATH}/${encodeURIComponent(file.fileId)}?token=${encodeURIComponent(token)}`;
      a.download = file.name;
      a.style.display = 'none';
      document.body.appendChild(a);
      a.click();
      a.remove();
    },
  };
}
