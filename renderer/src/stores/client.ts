/**
 * The one InspectorClient the stores talk to. Set once at start-up (main.ts picks the
 * transport); tests set a fake. Only stores call this — components never do.
 */
import type { InspectorClient } from '../../../shared/api/inspector-api';

let current: InspectorClient | null = null;

export function setInspectorClient(client: InspectorClient): void {
  current = client;
}

export function inspectorClient(): InspectorClient {
  if (!current) throw new Error('No InspectorClient set: call setInspectorClient() first.');
  return current;
}

/** Turns any rejection into plain words for the UI (errors cross the boundary as { code, message }). */
export function errorText(error: unknown): string {
  if (error && typeof error === 'object' && 'message' in error) {
    const e = error as { code?: unknown; message: unknown };
    return typeof e.code === 'string' ? `${String(e.message)} (${e.code})` : String(e.message);
  }
  return String(error);
}
