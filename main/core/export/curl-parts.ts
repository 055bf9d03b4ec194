/**
 * The Node side of cURL conversion: `@file` arguments are read from disk (shared/curl
 * cannot touch the file system), and the inspector service gets its toCurl / fromCurl.
 */
import { readFileSync } from 'node:fs';
import type { SendTarget } from '../../../shared/api/inspector-api';
import type { ExchangeDetail } from '../../../shared/model/exchange';
import { fromCurl, type FromCurlResult } from '../../../shared/curl/from-curl';
import { toCurl, type CurlPlatform } from '../../../shared/curl/to-curl';
import { ExportError } from './export-errors';

function readFileOrNull(path: string): Uint8Array | null {
  try {
    return new Uint8Array(readFileSync(path));
  } catch {
    return null;
  }
}

/** fromCurl with files readable; errors keep their stable code (CURL_*). */
export function requestFromCurl(
  command: string,
  options: { readFiles?: boolean } = {},
): { raw: Uint8Array; target: SendTarget; warnings: string[] } {
  try {
    const result: FromCurlResult = fromCurl(command, {
      readFile: options.readFiles === false ? undefined : readFileOrNull,
    });
    return result;
  } catch (error) {
    const e = error as { code?: string; message?: string };
    if (e.code?.startsWith('CURL_')) throw new ExportError(e.code, `cURL import: ${e.message}`);
    throw error;
  }
}

/** "Copy as cURL" for a recorded exchange: URL from where it was sent. */
export function curlForExchange(
  input: { detail: ExchangeDetail; requestRaw: Uint8Array },
  options: { platform?: CurlPlatform; insecure?: boolean },
): string {
  const { summary } = input.detail;
  return toCurl(
    {
      requestRaw: input.requestRaw,
      scheme: summary.scheme,
      host: summary.host,
      port: summary.port,
    },
    options,
  );
}
