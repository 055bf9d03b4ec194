/**
 * Loads one message body in slices (readBody) so a large body shows progress and never
 * arrives as one giant message. State is a fresh object per step inside a shallowRef:
 * the bytes are never made reactive.
 */
import { markRaw, shallowRef, type ShallowRef } from 'vue';
import type { BodySlice, BodySliceQuery, MessageSide } from '../../../shared/api/inspector-api';
import { errorText } from './client';

export type BodyView = 'raw' | 'decoded';

export interface BodyState {
  view: BodyView;
  bytes: Uint8Array;
  /** Bytes in this view, as the server counts them (0 if unknown). */
  total: number;
  loaded: number;
  done: boolean;
  /** Stopped at MAX_BODY_BYTES; the rest stays on disk. */
  truncated: boolean;
  error: string | null;
  decodeError?: string;
  decodedFrom?: string[];
}

export const SLICE_BYTES = 1024 * 1024;
/** The most the window holds for one body; bigger bodies are shown in part, with a note. */
export const MAX_BODY_BYTES = 64 * 1024 * 1024;

export type SliceReader = (query: Omit<BodySliceQuery, 'id' | 'side'>) => Promise<BodySlice>;

export interface BodyLoader {
  state: ShallowRef<BodyState | null>;
  load(view: BodyView): Promise<void>;
  reset(): void;
}

export function emptyBody(view: BodyView): BodyState {
  return {
    view,
    bytes: new Uint8Array(0),
    total: 0,
    loaded: 0,
    done: false,
    truncated: false,
    error: null,
  };
}

export function createBodyLoader(read: () => SliceReader | null): BodyLoader {
  const state = shallowRef<BodyState | null>(null);
  let token = 0;

  async function load(view: BodyView): Promise<void> {
    const reader = read();
    const mine = ++token;
    if (!reader) {
      state.value = null;
      return;
    }
    let buffer = new Uint8Array(0);
    let loaded = 0;
    let current: BodyState = emptyBody(view);
    state.value = markRaw(current);
    try {
      for (;;) {
        const slice = await reader({ view, offset: loaded, length: SLICE_BYTES });
        if (mine !== token) return;
        if (slice.bytes.length > buffer.length - loaded) {
          const grown = new Uint8Array(Math.max(slice.total, loaded + slice.bytes.length));
          grown.set(buffer.subarray(0, loaded));
          buffer = grown;
        }
        buffer.set(slice.bytes, loaded);
        loaded += slice.bytes.length;
        const done = slice.bytes.length === 0 || loaded >= slice.total;
        const truncated = !done && loaded >= MAX_BODY_BYTES;
        current = {
          view,
          bytes: buffer.subarray(0, loaded),
          total: slice.total,
          loaded,
          done: done || truncated,
          truncated,
          error: null,
          decodeError: slice.decodeError,
          decodedFrom: slice.decodedFrom,
        };
        state.value = markRaw(current);
        if (current.done) return;
      }
    } catch (error) {
      if (mine !== token) return;
      state.value = markRaw({ ...current, done: true, error: errorText(error) });
    }
  }

  function reset(): void {
    token++;
    state.value = null;
  }

  return { state, load, reset };
}

/** A reader over bytes already in hand (e.g. a send result not recorded as an exchange). */
export function bytesReader(bytes: Uint8Array): SliceReader {
  return async ({ offset = 0, length = SLICE_BYTES }) => ({
    bytes: bytes.subarray(offset, offset + length),
    offset,
    total: bytes.length,
  });
}

export type { MessageSide };
