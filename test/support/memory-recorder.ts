/**
 * An ExchangeRecorder that keeps everything in memory, for asserting what a producer
 * (proxy, sender) recorded: the exact bytes of each side, the parsed views, marks, state.
 */
import type {
  ConnectionRecord,
  ExchangeState,
  MessageRecord,
  Timings,
  WirelensError,
} from '../../shared/model/exchange';
import type {
  ExchangeRecorder,
  ExchangeWriter,
  NewExchange,
} from '../../main/core/store/recorder-types';

type Parsed = Omit<MessageRecord, 'rawLength'>;

export interface RecordedExchange {
  id: number;
  init: NewExchange;
  requestBytes: Buffer;
  responseBytes: Buffer;
  request: Parsed | null;
  response: Parsed | null;
  informational: Parsed[];
  timings: Timings;
  state: ExchangeState;
  warnings: string[];
  error: WirelensError | null;
  finished: boolean;
}

export class MemoryRecorder implements ExchangeRecorder {
  readonly connections: ConnectionRecord[] = [];
  readonly exchanges: RecordedExchange[] = [];

  openConnection(init: Omit<ConnectionRecord, 'id'>): number {
    const id = this.connections.length + 1;
    this.connections.push({ ...init, id });
    return id;
  }

  updateConnection(id: number, patch: Partial<Omit<ConnectionRecord, 'id'>>): void {
    const record = this.connections.find((c) => c.id === id);
    if (record) Object.assign(record, patch);
  }

  startExchange(init: NewExchange): ExchangeWriter {
    const ex: RecordedExchange = {
      id: this.exchanges.length + 1,
      init,
      requestBytes: Buffer.alloc(0),
      responseBytes: Buffer.alloc(0),
      request: null,
      response: null,
      informational: [],
      timings: { ...init.timings },
      state: 'pending',
      warnings: [],
      error: null,
      finished: false,
    };
    this.exchanges.push(ex);
    return {
      id: ex.id,
      setTarget: () => undefined,
      appendRequest: (b) => void (ex.requestBytes = Buffer.concat([ex.requestBytes, b])),
      appendResponse: (b) => void (ex.responseBytes = Buffer.concat([ex.responseBytes, b])),
      setRequest: (m) => void (ex.request = m),
      setResponse: (m) => void (ex.response = m),
      addInformational: (m) => void ex.informational.push(m),
      mark: (name, at) =>
        void (ex.timings[name] = at ?? performance.timeOrigin + performance.now()),
      setState: (s) => void (ex.state = s),
      addWarning: (w) => void ex.warnings.push(w),
      setTunnelBytes: () => undefined,
      fail: (e) => {
        ex.error = e;
        ex.state = 'failed';
        ex.finished = true;
      },
      finish: () => {
        if (ex.state !== 'failed') ex.state = 'complete';
        ex.finished = true;
      },
    };
  }
}
