/**
 * The proxy's limits (issue 9) in plain words with units, for the Settings dialog.
 * Keyed by every field of `Limits`, so a limit added to the contract fails the type
 * check here until it has a label and a unit.
 */
import type { Limits } from '../../../shared/api/inspector-api';

type Unit = 'bytes' | 'ms' | 'count';

interface LimitText {
  label: string;
  unit: Unit;
  /** What the number stands for; shown under the value. */
  help: string;
  /** Noun after a count ("256 fields"). */
  noun?: string;
}

const LIMIT_TEXTS: Record<keyof Limits, LimitText> = {
  maxHeadBytes: {
    label: 'Largest message head',
    unit: 'bytes',
    help: 'Start line plus headers, of a request or a response; a bigger one is refused.',
  },
  maxHeaderCount: {
    label: 'Most header fields per message',
    unit: 'count',
    noun: 'fields',
    help: 'A message with more header fields is refused.',
  },
  headTimeoutMs: {
    label: 'Head timeout',
    unit: 'ms',
    help: 'A client must finish sending a request head within this time (else 408).',
  },
  idleTimeoutMs: {
    label: 'Idle connection timeout',
    unit: 'ms',
    help: 'Keep-alive connections with no traffic (client side and upstream) close after this.',
  },
  upstreamConnectTimeoutMs: {
    label: 'Upstream connect timeout',
    unit: 'ms',
    help: 'Time allowed to open a connection to the server.',
  },
  upstreamFirstByteTimeoutMs: {
    label: 'Upstream first-byte timeout',
    unit: 'ms',
    help: 'From the last request byte to the first response byte.',
  },
  maxConnections: {
    label: 'Most simultaneous client connections',
    unit: 'count',
    noun: 'connections',
    help: 'Beyond this, new connections get a 503 and are closed.',
  },
};

/** Exact sizes in binary units: 65536 → "64 KiB", 1000 → "1000 bytes". */
export function formatByteLimit(n: number): string {
  const MiB = 1024 * 1024;
  if (n >= MiB && n % MiB === 0) return `${n / MiB} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} byte${n === 1 ? '' : 's'}`;
}

/** Whole seconds when exact, else milliseconds: 30000 → "30 s", 1500 → "1500 ms". */
export function formatDurationLimit(ms: number): string {
  if (ms >= 1000 && ms % 1000 === 0) return `${ms / 1000} s`;
  return `${ms} ms`;
}

/** The unit the number of a limit is given in, for an input: "bytes", "ms", "fields"… */
export function limitUnit(key: keyof Limits): string {
  const text = LIMIT_TEXTS[key];
  return text.unit === 'count' ? (text.noun ?? '') : text.unit;
}

export interface LimitLine {
  key: keyof Limits;
  label: string;
  value: string;
  help: string;
}

export function describeLimits(limits: Limits): LimitLine[] {
  return (Object.keys(LIMIT_TEXTS) as Array<keyof Limits>).map((key) => {
    const text = LIMIT_TEXTS[key];
    const n = limits[key];
    const value =
      text.unit === 'bytes'
        ? formatByteLimit(n)
        : text.unit === 'ms'
          ? formatDurationLimit(n)
          : `${n} ${text.noun ?? ''}`.trim();
    return { key, label: text.label, value, help: text.help };
  });
}
