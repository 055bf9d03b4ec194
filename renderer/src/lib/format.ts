/** Small display helpers for sizes, durations and content types. */
import type { ExchangeSummary } from '../../../shared/model/exchange';

export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined) return '';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '';
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

/** The list's Scheme+Host cell: `scheme://host`, with the port when it is not the default. */
export function schemeHost(s: Pick<ExchangeSummary, 'scheme' | 'host' | 'port'>): string {
  const defaultPort = s.scheme === 'https' || s.scheme === 'wss' ? 443 : 80;
  const host = s.host.includes(':') ? `[${s.host}]` : s.host; // an IPv6 address
  return `${s.scheme}://${host}${s.port && s.port !== defaultPort ? `:${s.port}` : ''}`;
}

/** "application/json; charset=utf-8" → "json". */
export function shortType(contentType: string | null): string {
  if (!contentType) return '';
  const mime = contentType.split(';')[0]!.trim().toLowerCase();
  const sub = mime.split('/')[1] ?? mime;
  if (sub.endsWith('+json')) return 'json';
  if (sub.endsWith('+xml')) return 'xml';
  if (sub === 'javascript' || sub === 'ecmascript') return 'js';
  if (sub === 'x-www-form-urlencoded') return 'form';
  if (mime.startsWith('image/')) return `image/${sub}`;
  return sub;
}

export interface RowState {
  /** Word shown next to the icon: never colour alone. */
  label: string;
  icon: string;
  kind: 'ok' | 'pending' | 'failed' | 'malformed' | 'tunnel' | 'client-error' | 'server-error';
  tooltip: string;
}

export function rowState(s: ExchangeSummary): RowState {
  if (s.state === 'failed' || s.error) {
    return {
      label: s.status ? `${s.status} failed` : 'failed',
      icon: '✖',
      kind: 'failed',
      tooltip: s.error ? `${s.error.message} (${s.error.code})` : 'Failed',
    };
  }
  if (s.malformed) {
    return {
      label: s.status ? `${s.status} malformed` : 'malformed',
      icon: '⚠',
      kind: 'malformed',
      tooltip: 'A message had parse problems: open it to see them.',
    };
  }
  if (s.state === 'tunnel')
    return {
      label: 'tunnel',
      icon: '⇄',
      kind: 'tunnel',
      tooltip: 'HTTPS relayed without interception',
    };
  if (s.status === null || s.state === 'pending' || s.state === 'request-complete') {
    return { label: 'pending', icon: '…', kind: 'pending', tooltip: 'Waiting for the response' };
  }
  if (s.status >= 500)
    return { label: String(s.status), icon: '', kind: 'server-error', tooltip: '' };
  if (s.status >= 400)
    return { label: String(s.status), icon: '', kind: 'client-error', tooltip: '' };
  return { label: String(s.status), icon: '', kind: 'ok', tooltip: '' };
}
