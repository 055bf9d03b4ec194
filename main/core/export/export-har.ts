/**
 * `exportHar`: all, filtered or selected exchanges of a store → a HAR 1.2 file (or text).
 * Entries are converted and written one at a time, so a large capture never sits in
 * memory as one object; the file appears under its name only once complete (written to
 * `<path>.partial` first), so a cancelled or failed export leaves nothing half-written.
 */
import { open, rename, rm } from 'node:fs/promises';
import type {
  ExportResult,
  ListQuery,
  ListResult,
  MessageSide,
} from '../../../shared/api/inspector-api';
import type { ExchangeDetail } from '../../../shared/model/exchange';
import { HAR_CREATOR, toHarEntry, type BodyDecoder } from '../../../shared/har/to-har';
import { decodeBody } from '../content/decode-body';
import { throwIfCancelled, yieldToLoop, type ProgressListener } from './export-errors';

type MaybePromise<T> = T | Promise<T>;

/** What export needs of a store (ExchangeStore and the service's StorePart both fit). */
export interface HarExportSource {
  list(query: ListQuery): MaybePromise<ListResult>;
  get(id: number): MaybePromise<ExchangeDetail | null>;
  readRaw?(id: number, side: MessageSide): Promise<Uint8Array | null>;
}

export interface ExportHarOptions {
  /** Exactly these exchanges, in this order. */
  ids?: number[];
  /** Filter expression (same language as the list). Ignored when `ids` is given. */
  filter?: string;
  /** Write here; without it the HAR text is returned. */
  path?: string;
  onProgress?: ProgressListener;
  signal?: AbortSignal;
}

/** The response body HAR wants: de-chunked and decompressed (raw bytes kept on error). */
export const decodeForHar: BodyDecoder = (rawBody, headers, framing) => {
  const d = decodeBody(rawBody, headers, framing);
  return d.error ? { bytes: d.bytes, error: d.error } : { bytes: d.bytes };
};

async function idsToExport(store: HarExportSource, options: ExportHarOptions): Promise<number[]> {
  if (options.ids) return options.ids;
  const { items } = await store.list(options.filter ? { filter: options.filter } : {});
  return items.map((s) => s.id);
}

const HEAD = (creator: object) =>
  `{"log":{"version":"1.2","creator":${JSON.stringify(creator)},"pages":[],"entries":[`;
const TAIL = '\n]}}\n';

export async function exportHar(
  store: HarExportSource,
  options: ExportHarOptions = {},
): Promise<ExportResult> {
  const ids = await idsToExport(store, options);
  const chunks: string[] = [];
  const file = options.path ? await open(`${options.path}.partial`, 'w', 0o600) : null;
  let pending = '';
  const emit = async (text: string, force = false) => {
    if (!file) return void chunks.push(text);
    pending += text;
    if (force || pending.length > 1 << 20) {
      await file.write(pending);
      pending = '';
    }
  };
  let count = 0;
  try {
    await emit(HEAD(HAR_CREATOR));
    for (let i = 0; i < ids.length; i++) {
      throwIfCancelled(options.signal, 'HAR export');
      const detail = await store.get(ids[i]);
      if (!detail) continue; // evicted or cleared meanwhile
      const requestRaw = (await store.readRaw?.(detail.summary.id, 'request')) ?? new Uint8Array(0);
      const responseRaw = detail.response
        ? ((await store.readRaw?.(detail.summary.id, 'response')) ?? null)
        : null;
      const entry = toHarEntry({ detail, requestRaw, responseRaw }, decodeForHar);
      await emit((count === 0 ? '\n' : ',\n') + JSON.stringify(entry));
      count++;
      if (i % 50 === 49) {
        options.onProgress?.({ done: i + 1, total: ids.length });
        await yieldToLoop();
      }
    }
    await emit(TAIL, true);
    options.onProgress?.({ done: ids.length, total: ids.length });
    if (file && options.path) {
      await file.close();
      await rename(`${options.path}.partial`, options.path);
      return { path: options.path, count };
    }
    return { count, text: chunks.join('') };
  } catch (error) {
    if (file && options.path) {
      await file.close().catch(() => undefined);
      await rm(`${options.path}.partial`, { force: true });
    }
    throw error;
  }
}
