/**
 * Checks of what the UI sends before it reaches the core. The web mode receives these
 * as JSON from a socket, so nothing can be assumed about their shape; a bad argument is
 * an INVALID_ARGUMENT naming the field, never a crash deeper in.
 */
import type { BodySliceQuery, ListQuery, SendRequest } from '../../shared/api/inspector-api';
import { invalidArgument } from './service-errors';

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function optionalCount(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw invalidArgument(`${name} must be a whole number ≥ 0.`);
  }
  return value;
}

export function checkId(value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw invalidArgument('The exchange id must be a whole number ≥ 0.');
  }
  return value;
}

export function checkString(value: unknown, name: string): string {
  if (typeof value !== 'string') throw invalidArgument(`${name} must be text.`);
  return value;
}

export function checkListQuery(value: unknown): ListQuery {
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) throw invalidArgument('The list query must be an object.');
  const filter = value.filter;
  if (filter !== undefined && filter !== null && typeof filter !== 'string') {
    throw invalidArgument('filter must be text.');
  }
  return {
    filter: typeof filter === 'string' ? filter : undefined,
    offset: optionalCount(value.offset, 'offset'),
    limit: optionalCount(value.limit, 'limit'),
  };
}

export function checkBodyQuery(value: unknown): BodySliceQuery {
  if (!isRecord(value)) throw invalidArgument('The body query must be an object.');
  if (value.side !== 'request' && value.side !== 'response') {
    throw invalidArgument('side must be "request" or "response".');
  }
  if (value.view !== 'raw' && value.view !== 'decoded') {
    throw invalidArgument('view must be "raw" or "decoded".');
  }
  if (value.part !== undefined && value.part !== 'body' && value.part !== 'message') {
    throw invalidArgument('part must be "body" or "message".');
  }
  return {
    id: checkId(value.id),
    side: value.side,
    view: value.view,
    offset: optionalCount(value.offset, 'offset'),
    length: optionalCount(value.length, 'length'),
    ...(value.part === 'message' ? { part: 'message' as const } : {}),
  };
}

export function checkSendRequest(value: unknown): SendRequest {
  if (!isRecord(value)) throw invalidArgument('The send request must be an object.');
  if (!(value.raw instanceof Uint8Array)) throw invalidArgument('raw must be bytes.');
  if (value.target !== undefined && value.target !== null) {
    const target = value.target;
    if (!isRecord(target) || typeof target.host !== 'string' || typeof target.port !== 'number') {
      throw invalidArgument('target must have a host (text) and a port (number).');
    }
  }
  if (value.sendId !== undefined && typeof value.sendId !== 'string') {
    throw invalidArgument('sendId must be text.');
  }
  return value as unknown as SendRequest;
}

/**
 * Checks that apply to calls arriving from a UI transport (WebSocket or IPC) rather than
 * from main-process code: a page must not pick files on this machine — exports come back
 * as text (a download), and the desktop menu saves through a native dialog instead.
 */
export function checkTransportCall(method: string, params: unknown[]): void {
  if (method === 'exportHar') {
    const query = params[0];
    if (
      query !== null &&
      typeof query === 'object' &&
      'path' in query &&
      query.path !== undefined
    ) {
      throw invalidArgument(
        'exportHar from the UI returns the HAR text; it does not write files (omit path).',
      );
    }
  }
}

/**
 * A URL for the launched browser. It lands on Chromium's command line, so anything but a
 * plain http(s) URL is refused: `--renderer-cmd-prefix=…` would be a flag, not a page.
 */
export function checkBrowserUrl(value: unknown): string {
  const text = checkString(value, 'url');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalidArgument('The browser can open http:// or https:// URLs only.');
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || text.startsWith('-')) {
    throw invalidArgument('The browser can open http:// or https:// URLs only.');
  }
  return url.href;
}
