import type { Timings } from '../../../shared/model/exchange';
import { nowMs as now } from '../clock';
import type { RecordedMessage } from './message-record';
import type { ReaderHooks } from './response-reader';
import type { SendRecording } from './send-recording';

/**
 * What the session reports, turned into timings and recording calls. The parsed views of
 * the response (onBytes, onInformational, onFinalHead) are only wanted when recording.
 */
export class SessionHooks implements ReaderHooks {
  onBytes?: ReaderHooks['onBytes'];
  onInformational?: ReaderHooks['onInformational'];
  onFinalHead?: ReaderHooks['onFinalHead'];

  constructor(
    private readonly timings: Timings[],
    private readonly recordings: SendRecording[],
  ) {
    if (recordings[0].active) {
      this.onBytes = this.bytes;
      this.onInformational = this.informational;
      this.onFinalHead = this.finalHead;
    }
  }

  onWritten(at: number): void {
    for (let i = 0; i < this.timings.length; i++) {
      this.timings[i].requestEnd = at;
      this.recordings[i].requestWritten(at);
    }
  }

  onFirstByte(i: number, at: number): void {
    this.timings[i].responseStart = at;
    if (this.recordings[i].active) this.recordings[i].mark(this.timings[i], 'responseStart');
  }

  onComplete(i: number, record: () => RecordedMessage): void {
    const at = now();
    this.timings[i].responseEnd = at;
    this.recordings[i].complete(record, at);
  }

  private bytes(i: number, bytes: Uint8Array): void {
    this.recordings[i].appendResponse(bytes);
  }

  private informational(i: number, record: RecordedMessage): void {
    this.recordings[i].informational(record);
  }

  private finalHead(i: number, record: RecordedMessage): void {
    this.recordings[i].responseHead(record);
  }
}
