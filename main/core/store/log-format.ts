/**
 * The on-disk capture log (documented in docs/capture-format.md). A capture is a folder:
 *
 * - `records.ndjson`: one JSON record per line, appended as things happen.
 * - `bodies.bin`: raw message bytes (head and body, as on the wire) appended as they pass,
 *   interleaved between exchanges; `chunk` records say which bytes belong to whom.
 *
 * Bytes are always written to `bodies.bin` before the records that reference them, so a
 * record never points past the end of the file unless the file itself was damaged.
 */
import type {
  ConnectionRecord,
  ExchangeSource,
  ExchangeState,
  MessageRecord,
  Timings,
  WirelensError,
} from '../../../shared/model/exchange';

import { messageJson } from './message-json';

export const LOG_FORMAT = 'wirelens-capture';
export const LOG_VERSION = 1;
export const RECORDS_FILE = 'records.ndjson';
export const BODIES_FILE = 'bodies.bin';

/** `q` = request side, `r` = response side (short: these repeat a lot). */
export type SideCode = 'q' | 'r';

/** `[offset, length]` ranges into `bodies.bin`, in message order. */
export type ByteRanges = Array<[offset: number, length: number]>;

/** `[offset, length]` of one line in `records.ndjson`. */
export type RecordRef = [offset: number, length: number];

/** A message record as written: everything but `rawLength` (derived from the chunks). */
export type LoggedMessage = Omit<MessageRecord, 'rawLength'>;

/** List-row fields derived from the messages (see ExchangeSummary), plus head lengths. */
export interface EndRow {
  method: string;
  path: string;
  scheme: string;
  host: string;
  port: number;
  status: number | null;
  contentType: string | null;
  malformed: boolean;
  /** Request head length, response head start and length (for header search). */
  qh: number;
  rs: number;
  rh: number;
}

export type LogRecord =
  | {
      t: 'hello';
      format: typeof LOG_FORMAT;
      version: number;
      createdAt: number;
      firstId: number;
      firstConnectionId: number;
    }
  | { t: 'conn'; conn: ConnectionRecord }
  | { t: 'connu'; id: number; patch: Partial<Omit<ConnectionRecord, 'id'>> }
  | {
      t: 'start';
      id: number;
      connectionId: number;
      indexOnConnection: number;
      source: ExchangeSource;
      scheme: string;
      host: string;
      port: number;
      timings: Timings;
    }
  | { t: 'target'; id: number; host: string; port: number; scheme?: string }
  | { t: 'chunk'; id: number; s: SideCode; o: number; n: number }
  | { t: 'msg'; id: number; s: SideCode | 'i'; m: LoggedMessage }
  | { t: 'mark'; id: number; k: keyof Timings; at: number }
  | { t: 'state'; id: number; state: ExchangeState }
  | { t: 'warn'; id: number; text: string }
  | { t: 'tunnel'; id: number; up: number; down: number }
  | { t: 'fail'; id: number; error: WirelensError }
  | {
      t: 'end';
      id: number;
      state: ExchangeState;
      at: number;
      /** Denormalized final state so `get()` needs one record plus its message records. */
      timings: Timings;
      warnings: string[];
      tunnel?: { bytesUp: number; bytesDown: number };
      error: WirelensError | null;
      ranges: { q: ByteRanges; r: ByteRanges };
      /** Where the last request / response / 1xx message records are in records.ndjson. */
      refs: { q: RecordRef | null; r: RecordRef | null; i: RecordRef[] };
      /** The list row's fields, so a replay can skip the exchange's other records. */
      row?: EndRow;
    }
  | { t: 'evict'; upToId: number; at: number }
  | ExchangeRecord;

/**
 * A whole finished exchange in one line (the usual case: one that finished within
 * `inFlightRecordAfterMs` of its start and kept its bytes small): everything `start`, the
 * in-flight records and `end` would say. The messages come last, under `m`, so a replay
 * parses only the text before `,"m":` (EXCHANGE_MESSAGES_KEY) to build the list row.
 */
export interface ExchangeRecord {
  t: 'x';
  id: number;
  connectionId: number;
  indexOnConnection: number;
  source: ExchangeSource;
  state: ExchangeState;
  at: number;
  timings: Timings;
  warnings: string[];
  error: WirelensError | null;
  tunnel?: { bytesUp: number; bytesDown: number };
  ranges: { q: ByteRanges; r: ByteRanges };
  row: EndRow;
  m: {
    q: LoggedMessage | CompactMessage | null;
    r: LoggedMessage | CompactMessage | null;
    i: LoggedMessage[];
  };
}

/**
 * A request or response in an `x` record written without its strings, which are exactly
 * what its head bytes say (./head-spans.ts): `spans` are the start line, header block and
 * body, then each field line, as `start, end` offsets into that side's bytes. `issues`
 * left out means none.
 */
export interface CompactMessage {
  spans: number[];
  issues?: LoggedMessage['issues'];
  complete: boolean;
  framing?: LoggedMessage['framing'];
  trailers?: LoggedMessage['trailers'];
}

/** The `x` record's fields before this key are its summary; the messages follow it. */
export const EXCHANGE_MESSAGES_KEY = ',"m":';

/**
 * Records that only matter while an exchange is in flight: a replay notes where they are
 * and parses them only for exchanges that have no `end` record (interrupted).
 */
export const IN_FLIGHT_RECORD_TYPES = new Set([
  'target',
  'chunk',
  'msg',
  'mark',
  'state',
  'warn',
  'tunnel',
  'fail',
]);

/** Record types this version knows; others are skipped (forward compatibility). */
export const KNOWN_RECORD_TYPES = new Set([
  'hello',
  'conn',
  'connu',
  'start',
  'target',
  'chunk',
  'msg',
  'mark',
  'state',
  'warn',
  'tunnel',
  'fail',
  'end',
  'evict',
  'x',
]);

/**
 * One record as its JSON line (without the newline). The frequent small records are
 * written from templates (same text JSON.stringify would give): recording cost is per
 * exchange on the proxy's hot path.
 */
export function serializeRecord(record: object): string {
  const r = record as LogRecord;
  switch (r.t) {
    case 'chunk':
      return `{"t":"chunk","id":${r.id},"s":"${r.s}","o":${r.o},"n":${r.n}}`;
    case 'mark':
      if (Number.isFinite(r.at) && /^[A-Za-z]+$/.test(r.k)) {
        return `{"t":"mark","id":${r.id},"k":"${r.k}","at":${r.at}}`;
      }
      break;
    case 'state':
      if (/^[a-z-]+$/.test(r.state)) return `{"t":"state","id":${r.id},"state":"${r.state}"}`;
      break;
    case 'msg':
      if (r.s === 'q' || r.s === 'r' || r.s === 'i') {
        return `{"t":"msg","id":${r.id},"s":"${r.s}","m":${messageJson(r.m)}}`;
      }
      break;
    default:
      break;
  }
  return JSON.stringify(record);
}
