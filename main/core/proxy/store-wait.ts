/**
 * Backpressure from the store: while its disk writes lag far behind the traffic
 * (ExchangeRecorder.writesBehind), a big body's reader is paused, as for a slow client,
 * and resumed when the store calls back. Memory stays bounded on a slow disk and the
 * event loop is not blocked writing.
 */
import type { ExchangeRecorder } from '../store/recorder-types';

/** Pauses now; resumes once the store caught up (at once for a store that never lags). */
export function pauseUntilStoreCaughtUp(
  recorder: ExchangeRecorder,
  pause: () => void,
  resume: () => void,
): void {
  pause();
  if (recorder.whenCaughtUp) recorder.whenCaughtUp(resume);
  else resume();
}
