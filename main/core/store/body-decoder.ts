/**
 * The decoded body view. Delegates to main/core/content/decode-body.ts (de-chunking,
 * gzip/deflate/br) once that module is in the build; until then the view is the raw body
 * with a `decodeError` saying so, rather than a guess.
 */
import type { BodyFraming, RawHeaders } from '../../../shared/model/exchange';

export interface DecodedBody {
  bytes: Uint8Array;
  decodedFrom: string[];
  error?: string;
}

export type DecodeBodyFn = (
  rawBody: Uint8Array,
  headers: RawHeaders,
  framing: BodyFraming,
) => DecodedBody;

let decoder: DecodeBodyFn | null = null;

/** Installs the decoder (main/core/content wires itself in here). */
export function setBodyDecoder(fn: DecodeBodyFn | null): void {
  decoder = fn;
}

export function decodeForView(
  rawBody: Uint8Array,
  headers: RawHeaders,
  framing: BodyFraming,
): DecodedBody {
  if (!decoder) {
    return {
      bytes: rawBody,
      decodedFrom: [],
      error: 'The decoded view is not available in this build yet',
    };
  }
  try {
    return decoder(rawBody, headers, framing);
  } catch (error) {
    return {
      bytes: rawBody,
      decodedFrom: [],
      error: `Could not decode the body: ${(error as Error).message}`,
    };
  }
}
