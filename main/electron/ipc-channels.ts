/**
 * IPC channel names shared by the main-process bridge and the preload. One invoke
 * channel per contract method (`wirelens:<method>`), one push channel for events.
 */
import type { InspectorMethod, WirelensError } from '../../shared/api/inspector-api';

export const CHANNEL_PREFIX = 'wirelens:';
export const EVENT_CHANNEL = 'wirelens:event';

export function methodChannel(method: InspectorMethod): string {
  return CHANNEL_PREFIX + method;
}

/**
 * What an invoke returns. Electron keeps only `message` of a thrown Error, so failures
 * travel as data and the preload turns them back into a rejection with the code.
 */
export type IpcOutcome = { ok: true; value: unknown } | { ok: false; error: WirelensError };

/** Files (see main/electron/file-channels.ts): a picked file's path in, a written file out. */
export const FILE_ADOPT_CHANNEL = 'wirelens-files:adopt';
export const FILE_SAVE_CHANNEL = 'wirelens-files:save';
