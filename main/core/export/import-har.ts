/**
 * `importHar`: a HAR file's entries recorded into a store as exchanges with source
 * `import`, raw bytes rebuilt (shared/har/from-har.ts). Entries that cannot be read are
 * skipped with a reason naming the entry and field; the others are kept. Entries that
 * shared a HAR `connection` share one imported connection, in file order. A cancel stops
 * between entries and keeps what was imported (the result says `cancelled`).
 */
import type { ImportResult } from '../../../shared/api/inspector-api';
import {
  entryFromHar,
  HarImportError,
  readHarEntries,
  skipReason,
  type ImportedExchange,
} from '../../../shared/har/from-har';
import { messageRecordOf } from '../../../shared/har/message-record';
import type { ImportExchangeInput } from '../store/import-exchange';
import { importInto } from '../store/import-exchange';
import type { ExchangeRecorder } from '../store/recorder-types';
import { ExportError, yieldToLoop, type ProgressListener } from './export-errors';

/** A store that can take imported exchanges (ExchangeStore has `importExchange`). */
export type HarImportTarget = ExchangeRecorder & {
  importExchange?(input: ImportExchangeInput): number;
};

export interface ImportHarOptions {
  onProgress?: ProgressListener;
  signal?: AbortSignal;
}

export function importInput(
  e: ImportedExchange,
  connection: { id: number; index: number } | null,
): ImportExchangeInput {
  const input: ImportExchangeInput = {
    request: { raw: e.requestRaw, message: messageRecordOf(e.requestRaw, 'request') },
    response: e.responseRaw
      ? { raw: e.responseRaw, message: messageRecordOf(e.responseRaw, 'response', e.method) }
      : null,
    scheme: e.scheme,
    host: e.host,
    port: e.port,
    timings: e.timings,
    error: e.error,
    warnings: e.warnings,
  };
  if (connection) {
    input.connectionId = connection.id;
    input.indexOnConnection = connection.index;
  } else if (e.serverIPAddress) {
    input.connection = { openedAt: e.timings.start, remoteAddress: e.serverIPAddress };
  }
  return input;
}

export async function importHar(
  store: HarImportTarget,
  text: string,
  options: ImportHarOptions = {},
): Promise<ImportResult> {
  let raws: unknown[];
  try {
    raws = readHarEntries(text);
  } catch (error) {
    if (error instanceof HarImportError)
      throw new ExportError(error.code, `HAR import: ${error.message}`);
    throw error;
  }
  const skipped: ImportResult['skipped'] = [];
  const connections = new Map<string, { id: number; index: number }>();
  let imported = 0;
  for (let index = 0; index < raws.length; index++) {
    // Cancelled: what came in stays (each exchange is complete on its own) and the result
    // says how far it got; nothing is rolled back.
    if (options.signal?.aborted) return { imported, skipped, total: raws.length, cancelled: true };
    let entry: ImportedExchange;
    try {
      entry = entryFromHar(raws[index], index);
    } catch (error) {
      skipped.push({ index, reason: skipReason(index, error) });
      continue;
    }
    let conn: { id: number; index: number } | null = null;
    if (entry.connection !== undefined) {
      const key = `${entry.scheme}://${entry.host}:${entry.port}#${entry.connection}`;
      const known = connections.get(key);
      if (known) {
        conn = { id: known.id, index: ++known.index };
      } else {
        const id = store.openConnection({
          source: 'import',
          openedAt: entry.timings.start,
          target: { host: entry.host, port: entry.port, tls: entry.scheme === 'https' },
          ...(entry.serverIPAddress ? { remoteAddress: entry.serverIPAddress } : {}),
        });
        connections.set(key, { id, index: 0 });
        conn = { id, index: 0 };
      }
    }
    const input = importInput(entry, conn);
    if (store.importExchange) store.importExchange(input);
    else importInto(store, input);
    imported++;
    if (index % 100 === 99) {
      options.onProgress?.({ done: index + 1, total: raws.length });
      await yieldToLoop();
    }
  }
  options.onProgress?.({ done: raws.length, total: raws.length });
  return { imported, skipped };
}
